//! Every mechanism's parameters, as a scenario's `[mechanisms.*]` tables. Each
//! table carries its `source` or `assumed` text; rates state their time unit in
//! their name (`_per_week`, `_per_day`) and are converted once, by the clock.

use super::m1_revolt::ArrestRule;
use super::m7_accord::Strategy;
use crate::scenario::ScenarioError;
use serde::{Deserialize, Serialize};

fn one_day() -> u32 {
    1
}

fn one() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub m1_revolt: M1,
    pub m2_services: M2,
    pub m3_recruitment: M3,
    pub m4_control: M4,
    pub m5_combat: M5,
    pub m6_money: M6,
    pub m7_accord: M7,
    pub m8_displacement: M8,
    pub m9_alliances: M9,
    pub m10_strategy: M10,
    pub m11_communal: M11,
}

/// M3 Support and recruitment.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M3 {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Probability per week that an active civilian joins an armed actor.
    pub join_per_week: f64,
    /// Weight of a home-community tie in choosing whom to join.
    pub home_tie: f64,
    /// Radius within which an actor's presence draws recruits.
    pub reach_km: f64,
    /// Capacity to absorb recruits: at most this share of its force a week, plus `absorb_base` persons.
    pub absorb_per_week: f64,
    pub absorb_base: f64,
    /// Whether `absorb_base` is a movement's rather than each named actor's:
    /// the actors that merge, now or later, into one (the scenario's merge
    /// events) share it, in equal parts among those in being (false when absent).
    #[serde(default)]
    pub absorb_shared: bool,
    /// The state hires this share of its forces per week while its money lasts.
    pub state_hiring_per_week: f64,
    /// Desertion probability per week when paid, and when unpaid.
    pub desert_per_week: f64,
    pub desert_unpaid_per_week: f64,
    /// How much better supported another actor present must be for a leaving fighter to switch to it.
    pub switch_margin: f64,
    /// Extra chance a week that a fighter of a rebel, jihadist or militia group
    /// leaves, per unit net share of its towns lost to enemies that week
    /// (cohesion breaks with defeat; 0 when absent).
    #[serde(default)]
    pub defeat_desertion: f64,
    /// Whether a fighter of a rebel, jihadist or militia group who stays weighs
    /// its allegiance anew, at `join_per_week`, by the rule it joined by: it
    /// goes over to another armed actor present in its cell whose support
    /// among its community there exceeds its own actor's by `switch_margin`,
    /// or else, with `trust_gate`, goes home if its community there trusts the
    /// state it fights at least as much as its group (false when absent: only
    /// leavers switch).
    #[serde(default)]
    pub realign: bool,
    /// With `realign`: whether a fighter of a group hostile to the state
    /// weighs its allegiance only when no force of the state's side stands
    /// within `reach_km` of its cell (a common enemy at hand holds a coalition
    /// together; it breaks up once that enemy has gone). False when absent:
    /// fighters weigh their allegiance wherever they stand.
    #[serde(default)]
    pub front_holds: bool,
    /// Whether an active joins a group hostile to the state only if its
    /// community there trusts the group more than the state (false when absent).
    #[serde(default)]
    pub trust_gate: bool,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M4 Control and collaboration.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M4 {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// A challenger takes a cell when its force exceeds the holder side's by this factor.
    pub takeover_ratio: f64,
    /// How far an armed presence holds the land around it.
    pub reach_km: f64,
    /// Selective violence: probability per week that the holder kills an active
    /// civilian where its hold is dominant but contested.
    pub selective_per_week: f64,
    /// Armed persons whose arrival makes a hostile takeover a full upheaval
    /// (M8's flight from takeovers); fewer make a proportionally lesser one.
    #[serde(default = "upheaval_persons")]
    pub upheaval_persons: f64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

fn arms_reach_km() -> f64 {
    60.0
}

fn upheaval_persons() -> f64 {
    100.0
}

/// M6 Money.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M6 {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Share of foreign aid captured by elites.
    pub elite_capture: f64,
    /// Pay per fighter per week (US$).
    pub pay_per_fighter_week: f64,
    /// Ransom income per week of a jihadist actor per northern town it holds (US$).
    pub ransom_per_town_week: f64,
    /// Trafficking income per week per northern town held (US$).
    pub trafficking_per_town_week: f64,
    /// Share of the state's budget spent on services.
    pub state_service_share: f64,
    /// What a non-state armed actor levies (zakat, taxes, protection) per person
    /// living on the land it holds, per week (US$).
    pub levy_per_person_week: f64,
    /// Kinds of armed group that take neither trafficking income nor levies
    /// from what they hold: their money is what they start with and what
    /// scenario events give them (empty when absent: every armed group takes
    /// both).
    #[serde(default)]
    pub unfunded: Vec<crate::scenario::Kind>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M8 Displacement.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M8 {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Probability per week of fleeing a cell where people were killed in the last weeks.
    pub flee_per_week: f64,
    /// Probability per week of fleeing a cell just taken by an actor hostile to its
    /// previous holder, times the community's distrust of the newcomer (1 − support).
    pub takeover_flee_per_week: f64,
    /// Weeks a cell remembers violence.
    pub memory_weeks: f64,
    /// Distance reachable in a week.
    pub reach_km: f64,
    /// How far a flight looks for a destination: towns and camps abroad within this distance.
    pub abroad_within_km: f64,
    /// Probability per week of going home once the home cell has been calm (the displaced).
    pub return_per_week: f64,
    /// The same for refugees in camps abroad.
    pub refugee_return_per_week: f64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M9 Alliances and splits.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M9 {
    /// Whether relations may also change endogenously ("the enemy of my enemy");
    /// scripted relation and merger events apply either way.
    pub endogenous: bool,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M10 Actor strategy.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M10 {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Distance a force covers in a week.
    pub reach_km: f64,
    /// An irregular force evades when the hostile conventional force in its cell is this many times larger;
    /// a conventional force falls back when the hostile force, each counted at its capacity, is.
    pub evade_ratio: f64,
    /// Force ratio an attacker wants before it attacks.
    pub attack_ratio: f64,
    /// Towns of at least this many people are objectives.
    pub objective_min_population: f64,
    /// Chance a week that a group of an irregular non-state actor that holds its
    /// ground raids the nearest hostile force within `reach_km` (an ambush, an
    /// attack on a post or a patrol); 0 (the default) for no raids.
    #[serde(default)]
    pub raid_per_week: f64,
    /// Days of fire in a raid.
    #[serde(default = "one_day")]
    pub raid_days: u32,
    /// Whether holding a threatened town scores at most what an assault does
    /// (1): `0.3 + 0.7 × min(threat/own, 1)` in place of `0.3 + min(threat/own, 1)`
    /// (false when absent).
    #[serde(default)]
    pub hold_capped: bool,
    /// Whether an irregular armed group (not a militia) that evades or falls
    /// back takes to the bush: the nearest cell within `reach_km` that is no
    /// objective and holds no hostile force (in the regions it fights for if
    /// it can), in place of the least threatened town (false when absent).
    #[serde(default)]
    pub evade_to_bush: bool,
    /// Whether every reckoning of forces (attack, hold, fall back, evade, hunt,
    /// mass) weighs a foreign force by its fire factor
    /// (`m5_combat.foreign_effectiveness_factor`) beside its actor's capacity:
    /// the armed groups know what Serval's air power does (false when absent:
    /// a French soldier counts as a Malian one).
    #[serde(default)]
    pub weigh_firepower: bool,
    /// Whether an irregular armed group in a town also weighs what its enemies
    /// can mass on it this week, as a garrison does, and leaves before the
    /// assault (false when absent: it weighs only the enemies in its cell).
    #[serde(default)]
    pub irregulars_anticipate: bool,
    /// Whether such a group, anticipating (`irregulars_anticipate`), also
    /// weighs what its enemies can mass on a town it might take or reinforce:
    /// it scores no town where that is `evade_ratio` times what its side can
    /// mass there, since it would leave it before the assault (false when
    /// absent: it may go where it will not stay).
    #[serde(default)]
    pub anticipate_targets: bool,
    /// Whether a group of a rebel or jihadist actor also weighs the towns of
    /// its home regions (where it had fighters on the start date, and its
    /// region of origin) beyond `reach_km`, and marches towards the one it
    /// scores best, `reach_km` a week (false when absent: it sees no town
    /// beyond `reach_km`).
    #[serde(default)]
    pub home_pull: bool,
    /// Whether a group of an actor that funds services (M2's provider: the
    /// brief's jihadists, with money) also weighs a town its side holds where
    /// none of its fighters stand by the void it would fill there (M2's
    /// shortfall as a share of what it delivers): a movement that wins people
    /// over by services goes where the people lack them (false when absent:
    /// such a town is worth only the threat its side there cannot meet).
    #[serde(default)]
    pub serve_pull: bool,
    /// Whether the state's army defends the people its side holds by being
    /// among them: it aims at a presence in each town its side holds in
    /// proportion to the town's people (its forces times the town's share of
    /// the people in all the towns its side holds), so a town short of that
    /// draws its groups by the shortfall's share, and a town where it stands
    /// beyond it is worth holding only for the share it needs (false when
    /// absent: a town its side holds draws it only by the threat its side there
    /// cannot meet).
    #[serde(default)]
    pub state_presence: bool,
    /// Whether a group of the state's army that would stay, or fall back, in
    /// a region whose capital its side has lost withdraws instead, towards the
    /// nearest town its side holds in a region whose capital its side holds
    /// (a garrison cut off is abandoned; false when absent).
    #[serde(default)]
    pub withdraw_cut_off: bool,
    /// The smallest detachment, in persons, a group of agents leaves to hold
    /// a town it moves out of: the half it leaves is rounded at random to
    /// whole detachments (a group smaller than one stays or goes whole), so
    /// that a finer `people_per_agent` does not split forces into smaller
    /// pieces than a coarser one (0 when absent: whole agents).
    #[serde(default)]
    pub detachment_persons: f64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M11 Communal violence in the centre.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M11 {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Community pairs in competition for land and pasture.
    pub pairs: Vec<[String; 2]>,
    /// Regions where the competition bites.
    pub regions: Vec<String>,
    /// Hardship added by the competition to both communities of a pair.
    pub pasture_pressure: f64,
    /// Probability per week that an active civilian kills a member of the rival community in its cell.
    pub kill_per_week: f64,
    /// Communal killing is armed: the rate is scaled by P/(P + `arms_persons`),
    /// P the fighters within `reach_km` of the armed groups (rebel, jihadist,
    /// militia) rooted in the killer's community. 0 (the default) leaves the
    /// rate unscaled: Epstein's Model II, where every active can kill.
    #[serde(default)]
    pub arms_persons: f64,
    /// How far an armed group's presence arms its community (km).
    #[serde(default = "arms_reach_km")]
    pub reach_km: f64,
    /// With arming on, only these actors arm (and the actors they merge into);
    /// empty (the default): every armed group rooted in the community.
    #[serde(default)]
    pub armed_by: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M1 Grievance and revolt.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M1 {
    #[serde(default = "yes")]
    pub enabled: bool,
    pub k: f64,
    pub threshold: f64,
    pub arrest_rule: ArrestRule,
    /// Radius within which a civilian counts state forces and actives.
    pub sight_km: f64,
    /// Probability per week that a civilian who wants to be active becomes so.
    pub enter_per_week: f64,
    /// Probability per week that an active who no longer wants to be stops.
    pub exit_per_week: f64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M2 Services and legitimacy.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M2 {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Movement of a relationship per unit of shortfall, per week.
    pub fall_per_week: f64,
    /// Movement per unit of surplus or of gap filled, per week.
    pub rise_per_week: f64,
    /// Share of the gap between delivery and expectation closed per week.
    pub adaptation_per_week: f64,
    /// Services expected on the start date (0..1).
    pub initial_expectation: f64,
    /// With `settled_expectations`, each cell's people instead expect on the
    /// start date what its holder then delivers at full funding (adapted
    /// expectations at rest), and `initial_expectation` is unused.
    #[serde(default)]
    pub settled_expectations: bool,
    /// Share of the way back to its start-date level that each community's
    /// support for each actor goes each week (the effects of services and
    /// harm fade, as Athena's URAM attitudes relax towards their baseline);
    /// 0: off, every effect lasts.
    #[serde(default)]
    pub relax_per_week: f64,
    /// Services the state delivers at full capacity and funding, in the north and elsewhere (0..1).
    pub state_service_north: f64,
    pub state_service_south: f64,
    /// The state's service level in the regions named, in place of the
    /// north's or the south's (0..1; empty when absent).
    #[serde(default)]
    pub state_service_regions: std::collections::BTreeMap<String, f64>,
    /// Services a jihadist actor that funds them delivers (0..1), and any other armed group.
    pub jihadist_service: f64,
    pub armed_group_service: f64,
    /// Fall of a community's support for an actor per unit share of its people the actor killed.
    pub harm_weight: f64,
    /// Whether a community whose people a rival community killed in a cell
    /// last week (M11) blames the cell's holder for failing to protect them:
    /// its support for the holder falls by `harm_weight` times the share of
    /// its people there killed (false when absent: only the killers are blamed).
    #[serde(default)]
    pub blame_unprotected: bool,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M5 Combat.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M5 {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Kill rate of aimed fire per fighter per day, conventional and irregular.
    pub conventional_effectiveness_per_day: f64,
    pub irregular_effectiveness_per_day: f64,
    /// Share of fire that hits combatants, for Malian forces and foreign forces.
    pub malian_accuracy: f64,
    pub foreign_accuracy: f64,
    /// A foreign force's kill rate relative to a Malian force of its doctrine
    /// (air support, surveillance, training); 1 when absent.
    #[serde(default = "one")]
    pub foreign_effectiveness_factor: f64,
    /// Share of the hits a foreign force takes that kill, against 1 for a
    /// Malian force (armour, fortified bases, air medical evacuation); 1 when
    /// absent.
    #[serde(default = "one")]
    pub foreign_vulnerability: f64,
    /// Chance of finding an irregular force with no help from civilians.
    pub base_detection: f64,
    /// Civilian deaths per missed shot among civilians.
    pub lethality: f64,
    /// Days of fighting in a week where hostile forces share a cell.
    pub engagement_days_per_week: u32,
    /// Whether a peacekeeping force (a foreign actor without an offensive
    /// mandate) fights standing battles with the hostile groups in its cell
    /// (true when absent); when false it is struck only by raids.
    #[serde(default = "yes")]
    pub peacekeepers_fight_battles: bool,
    /// Whether an irregular force fighting a standing battle in a town (an
    /// objective: a town or regional capital) is fought with aimed fire, as a
    /// conventional one (it holds or assaults ground it cannot hide in); false
    /// when absent: it is found only by detection (Deitchman) wherever it fights.
    #[serde(default)]
    pub towns_expose_irregulars: bool,
    /// Deadly strikes a week per person of a foreign force (mines and roadside
    /// bombs on its convoys, rockets and mortars on its camps, suicide
    /// attacks) in a region where an irregular actor hostile to it has
    /// fighters; each kills one. They strike whatever the attackers' numbers:
    /// no engagement, no Lanchester attrition. 0 (none) when absent.
    #[serde(default)]
    pub strikes_per_person_week: f64,
    /// Deitchman's area fire against guerrillas: the strength, in persons in
    /// a cell, at which a shot fired where detection allows finds a target
    /// (a fixed density of targets, so a smaller band is harder to hit per
    /// fighter, as in Deitchman 1962's `g·X·Y`); 0 when absent: the band's
    /// own strength at first contact (every band as dense as a full one).
    #[serde(default)]
    pub area_fire_reference: f64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// M7 Accord implementation.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M7 {
    #[serde(default = "yes")]
    pub enabled: bool,
    pub strategy: Strategy,
    pub forgiveness: f64,
    pub execution_noise: f64,
    pub misread_cooperation: f64,
    pub misread_defection: f64,
    /// Weeks between rounds (the monitoring committee's rhythm).
    pub period_weeks: u32,
    /// Peace Accords Matrix levels (0..3) a provision gains per cooperative round.
    pub progress_per_round: f64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

impl Params {
    pub fn validate(&self) -> Vec<ScenarioError> {
        let mut errs = Vec::new();
        for (key, v) in [
            ("m1_revolt.threshold", self.m1_revolt.threshold),
            ("m1_revolt.enter_per_week", self.m1_revolt.enter_per_week),
            ("m1_revolt.exit_per_week", self.m1_revolt.exit_per_week),
            ("m2_services.fall_per_week", self.m2_services.fall_per_week),
            ("m2_services.rise_per_week", self.m2_services.rise_per_week),
            ("m2_services.adaptation_per_week", self.m2_services.adaptation_per_week),
            ("m2_services.initial_expectation", self.m2_services.initial_expectation),
            ("m2_services.state_service_north", self.m2_services.state_service_north),
            ("m2_services.state_service_south", self.m2_services.state_service_south),
            ("m2_services.jihadist_service", self.m2_services.jihadist_service),
            ("m2_services.armed_group_service", self.m2_services.armed_group_service),
            ("m5_combat.malian_accuracy", self.m5_combat.malian_accuracy),
            ("m5_combat.foreign_accuracy", self.m5_combat.foreign_accuracy),
            ("m5_combat.base_detection", self.m5_combat.base_detection),
            ("m7_accord.forgiveness", self.m7_accord.forgiveness),
            ("m7_accord.execution_noise", self.m7_accord.execution_noise),
            ("m7_accord.misread_cooperation", self.m7_accord.misread_cooperation),
            ("m7_accord.misread_defection", self.m7_accord.misread_defection),
            ("m3_recruitment.join_per_week", self.m3_recruitment.join_per_week),
            ("m3_recruitment.absorb_per_week", self.m3_recruitment.absorb_per_week),
            ("m3_recruitment.state_hiring_per_week", self.m3_recruitment.state_hiring_per_week),
            ("m3_recruitment.desert_per_week", self.m3_recruitment.desert_per_week),
            ("m3_recruitment.desert_unpaid_per_week", self.m3_recruitment.desert_unpaid_per_week),
            ("m3_recruitment.switch_margin", self.m3_recruitment.switch_margin),
            ("m4_control.selective_per_week", self.m4_control.selective_per_week),
            ("m6_money.elite_capture", self.m6_money.elite_capture),
            ("m6_money.state_service_share", self.m6_money.state_service_share),
            ("m8_displacement.flee_per_week", self.m8_displacement.flee_per_week),
            ("m8_displacement.return_per_week", self.m8_displacement.return_per_week),
            ("m8_displacement.refugee_return_per_week", self.m8_displacement.refugee_return_per_week),
            ("m8_displacement.takeover_flee_per_week", self.m8_displacement.takeover_flee_per_week),
            ("m10_strategy.raid_per_week", self.m10_strategy.raid_per_week),
            ("m5_combat.foreign_vulnerability", self.m5_combat.foreign_vulnerability),
            ("m11_communal.pasture_pressure", self.m11_communal.pasture_pressure),
            ("m11_communal.kill_per_week", self.m11_communal.kill_per_week),
        ] {
            if !(0.0..=1.0).contains(&v) {
                errs.push(ScenarioError {
                    key: format!("mechanisms.{key}"),
                    message: format!("expected a number in [0, 1], found {v}"),
                });
            }
        }
        for (region, &v) in &self.m2_services.state_service_regions {
            if !(0.0..=1.0).contains(&v) {
                errs.push(ScenarioError {
                    key: format!("mechanisms.m2_services.state_service_regions.{region}"),
                    message: format!("expected a number in [0, 1], found {v}"),
                });
            }
        }
        for (key, v) in [
            ("m1_revolt.k", self.m1_revolt.k),
            ("m2_services.harm_weight", self.m2_services.harm_weight),
            ("m3_recruitment.home_tie", self.m3_recruitment.home_tie),
            ("m3_recruitment.reach_km", self.m3_recruitment.reach_km),
            ("m3_recruitment.absorb_base", self.m3_recruitment.absorb_base),
            ("m3_recruitment.defeat_desertion", self.m3_recruitment.defeat_desertion),
            ("m4_control.reach_km", self.m4_control.reach_km),
            ("m6_money.pay_per_fighter_week", self.m6_money.pay_per_fighter_week),
            ("m6_money.ransom_per_town_week", self.m6_money.ransom_per_town_week),
            ("m6_money.trafficking_per_town_week", self.m6_money.trafficking_per_town_week),
            ("m6_money.levy_per_person_week", self.m6_money.levy_per_person_week),
            ("m8_displacement.memory_weeks", self.m8_displacement.memory_weeks),
            ("m8_displacement.reach_km", self.m8_displacement.reach_km),
            ("m8_displacement.abroad_within_km", self.m8_displacement.abroad_within_km),
            ("m10_strategy.reach_km", self.m10_strategy.reach_km),
            ("m10_strategy.evade_ratio", self.m10_strategy.evade_ratio),
            ("m10_strategy.attack_ratio", self.m10_strategy.attack_ratio),
            ("m10_strategy.objective_min_population", self.m10_strategy.objective_min_population),
            ("m10_strategy.detachment_persons", self.m10_strategy.detachment_persons),
            ("m1_revolt.sight_km", self.m1_revolt.sight_km),
            ("m5_combat.conventional_effectiveness_per_day", self.m5_combat.conventional_effectiveness_per_day),
            ("m5_combat.irregular_effectiveness_per_day", self.m5_combat.irregular_effectiveness_per_day),
            ("m5_combat.lethality", self.m5_combat.lethality),
            ("m5_combat.foreign_effectiveness_factor", self.m5_combat.foreign_effectiveness_factor),
            ("m5_combat.area_fire_reference", self.m5_combat.area_fire_reference),
            ("m7_accord.progress_per_round", self.m7_accord.progress_per_round),
            ("m11_communal.arms_persons", self.m11_communal.arms_persons),
            ("m11_communal.reach_km", self.m11_communal.reach_km),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                errs.push(ScenarioError {
                    key: format!("mechanisms.{key}"),
                    message: format!("expected a number >= 0, found {v}"),
                });
            }
        }
        if self.m4_control.takeover_ratio < 1.0 {
            errs.push(ScenarioError {
                key: "mechanisms.m4_control.takeover_ratio".into(),
                message: format!("expected a ratio >= 1, found {}", self.m4_control.takeover_ratio),
            });
        }
        if !(self.m4_control.upheaval_persons.is_finite() && self.m4_control.upheaval_persons > 0.0) {
            errs.push(ScenarioError {
                key: "mechanisms.m4_control.upheaval_persons".into(),
                message: format!("expected a number of persons > 0, found {}", self.m4_control.upheaval_persons),
            });
        }
        if self.m5_combat.engagement_days_per_week > 7 {
            errs.push(ScenarioError {
                key: "mechanisms.m5_combat.engagement_days_per_week".into(),
                message: format!("expected 0 to 7 days, found {}", self.m5_combat.engagement_days_per_week),
            });
        }
        if self.m7_accord.period_weeks == 0 {
            errs.push(ScenarioError {
                key: "mechanisms.m7_accord.period_weeks".into(),
                message: "expected at least 1 week".into(),
            });
        }
        errs
    }
}
