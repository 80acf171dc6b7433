//! One step (a week) of the Mali model: the mechanisms in a fixed order, and the
//! tallies the outputs are made of.
//!
//! Order: events (exogenous inputs) → M6 money → M10 strategy (forces move) →
//! M5 combat → M4 control and selective violence → M2 services and legitimacy →
//! M1 revolt → M3 recruitment and desertion → M11 communal violence → M8
//! displacement → M7 accord → M9 alliances (scripted relation and merger events
//! apply first of all, with the other events).

use crate::mechanisms::*;
use crate::scenario::{Event, Kind, Stance};
use crate::world::*;
use std::collections::BTreeMap;

/// What happened during a step, per region (persons).
#[derive(Clone, Debug, Default)]
pub struct Tallies {
    pub deaths: Vec<f64>,
    pub deaths_civilian: Vec<f64>,
    pub violent_events: Vec<f64>,
    /// Deaths among foreign forces (not agents), nationally.
    pub deaths_foreign: f64,
    /// National deaths by the mechanism that caused them (indexed by [`Cause`]).
    pub deaths_by_cause: [f64; Cause::ALL.len()],
    /// Persons under arms each actor lost this step, nationally.
    pub losses: Vec<f64>,
    /// Who killed whom this step, nationally: persons by (victim, killer,
    /// cause). Every death is in exactly one entry (shares where a death's
    /// fire came from two sides: a raid's crossfire on civilians).
    pub killed: BTreeMap<(Victim, Killer, Cause), f64>,
}

/// Who died: fighters (or a foreign force's persons) of an actor, or civilians.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Victim {
    Actor(u16),
    Civilians,
}

/// Who killed: an actor's forces, or the active members of a community (M11's
/// communal killing, which no armed actor does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Killer {
    Actor(u16),
    Community(u16),
}

/// What killed a person: the mechanism that was running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// M5's standing battles.
    Battle,
    /// M5's raids (decided by M10).
    Raid,
    /// M4's selective violence against active civilians.
    Selective,
    /// M11's communal killing.
    Communal,
    /// M5's strikes on foreign forces (mines, roadside bombs, shelling of camps).
    Strike,
}

impl Cause {
    pub const ALL: [Cause; 5] = [Cause::Battle, Cause::Raid, Cause::Selective, Cause::Communal, Cause::Strike];
    pub fn name(self) -> &'static str {
        match self {
            Cause::Battle => "battle",
            Cause::Raid => "raid",
            Cause::Selective => "selective",
            Cause::Communal => "communal",
            Cause::Strike => "strike",
        }
    }
}

/// Per-step quantities shared by the mechanisms.
pub struct Scratch {
    /// Persons under arms per actor per cell.
    pub force: Vec<Vec<f64>>,
    /// Civilians killed in each cell by each actor this step.
    pub harm: Vec<Vec<f64>>,
    /// Deaths per cell this step (persons).
    pub deaths_in: Vec<f64>,
    pub tallies: Tallies,
    /// The mechanism now killing (set by each before it kills).
    pub cause: Cause,
    /// Who is killing, with each one's share of the fire (set by each
    /// mechanism before it kills, with `by`; the shares sum to 1).
    pub killers: Vec<(Killer, f64)>,
}

impl Scratch {
    pub fn new(w: &World) -> Scratch {
        let nr = w.raster.regions.len();
        Scratch {
            force: forces(w),
            harm: vec![vec![0.0; w.raster.len()]; w.actors.len()],
            deaths_in: vec![0.0; w.raster.len()],
            tallies: Tallies {
                deaths: vec![0.0; nr],
                deaths_civilian: vec![0.0; nr],
                violent_events: vec![0.0; nr],
                deaths_foreign: 0.0,
                deaths_by_cause: [0.0; Cause::ALL.len()],
                losses: vec![0.0; w.actors.len()],
                killed: BTreeMap::new(),
            },
            cause: Cause::Battle,
            killers: Vec::new(),
        }
    }

    /// The next deaths are dealt by actor `a` alone.
    pub fn by(&mut self, a: usize) {
        self.by_shares(&[(Killer::Actor(a as u16), 1.0)]);
    }

    /// The next deaths are dealt by these killers, each with its share of the
    /// fire (the shares sum to 1).
    pub fn by_shares(&mut self, shares: &[(Killer, f64)]) {
        self.killers.clear();
        self.killers.extend_from_slice(shares);
    }

    /// Credit `persons` of `victim` dead to the killers now set.
    pub fn credit(&mut self, victim: Victim, persons: f64) {
        debug_assert!(!self.killers.is_empty(), "deaths with no killer set");
        for &(k, share) in &self.killers {
            *self.tallies.killed.entry((victim, k, self.cause)).or_insert(0.0) += persons * share;
        }
    }

    /// Count a death in `cell` (persons).
    pub fn death(&mut self, w: &World, cell: u32, persons: f64, civilian: bool) {
        let r = w.raster.region[cell as usize] as usize;
        self.deaths_in[cell as usize] += persons;
        self.tallies.deaths[r] += persons;
        self.tallies.deaths_by_cause[self.cause as usize] += persons;
        if civilian {
            self.tallies.deaths_civilian[r] += persons;
        }
    }
}

/// Kill `persons` among the agents `victims` (in the caller's random order) in
/// `cell`: each loses people up to its weight, and one left with nobody is dead.
/// Deaths are counted in persons, continuously, so that they do not depend on
/// `people_per_agent` beyond which agents they fall on. Returns the persons
/// killed (at most the victims' weight).
pub fn kill(w: &mut World, s: &mut Scratch, victims: &[u32], persons: f64, cell: u32, civilian: bool) -> f64 {
    let mut left = persons;
    let mut done = 0.0;
    // persons killed of one victim in a row, credited once the victim changes
    // (a list holds one actor's fighters, or civilians)
    let mut pending: Option<(Victim, f64)> = None;
    for &i in victims {
        if left <= 0.0 {
            break;
        }
        let iu = i as usize;
        let armed = (w.state[iu] == FIGHTER).then_some(w.affil[iu] as usize);
        let before = done;
        let take = w.weight[iu].min(left);
        w.weight[iu] -= take;
        left -= take;
        done += take;
        if w.weight[iu] <= 1e-9 {
            done += w.weight[iu];
            w.weight[iu] = 0.0;
            w.state[iu] = DEAD;
            w.affil[iu] = NO_ACTOR;
        }
        if let Some(a) = armed {
            s.tallies.losses[a] += done - before;
        }
        let victim = armed.map_or(Victim::Civilians, |a| Victim::Actor(a as u16));
        match &mut pending {
            Some((v, p)) if *v == victim => *p += done - before,
            _ => {
                if let Some((v, p)) = pending.replace((victim, done - before)) {
                    s.credit(v, p);
                }
            }
        }
    }
    if let Some((v, p)) = pending {
        s.credit(v, p);
    }
    if done > 0.0 {
        s.death(w, cell, done, civilian);
    }
    done
}

/// Civilians present per cell and community (persons).
pub fn residents(w: &World) -> Vec<f64> {
    let nc = w.communities.len();
    let mut r = vec![0.0; w.raster.len() * nc];
    for i in 0..w.agents() {
        if matches!(w.state[i], QUIET | ACTIVE | DISPLACED) {
            r[w.cell[i] as usize * nc + w.comm[i] as usize] += w.weight[i];
        }
    }
    r
}

/// Persons under arms per actor per cell: fighter agents and foreign forces.
pub fn forces(w: &World) -> Vec<Vec<f64>> {
    let mut f = w.foreign.clone();
    for i in 0..w.agents() {
        if w.state[i] == FIGHTER {
            f[w.affil[i] as usize][w.cell[i] as usize] += w.weight[i];
        }
    }
    f
}

impl World {
    /// Advance one week.
    pub fn advance(&mut self) -> Tallies {
        self.apply_events();
        self.refresh_hostility();
        self.cell_people = residents(self);
        let mut s = Scratch::new(self);
        let m = self.sc.mechanisms.clone();
        if m.m6_money.enabled {
            m6_money::apply(self, &m.m6_money);
        }
        let mut raids = Vec::new();
        if m.m10_strategy.enabled {
            raids = m10_strategy::apply(
                self,
                &s.force,
                &m.m10_strategy,
                m.m5_combat.base_detection,
                m.m5_combat.foreign_effectiveness_factor,
            );
            s.force = forces(self);
        }
        if m.m5_combat.enabled {
            m5_combat::apply(self, &mut s, &m.m5_combat);
            s.force = forces(self);
            if !raids.is_empty() {
                m5_combat::raid(self, &mut s, &m.m5_combat, &raids, m.m10_strategy.raid_days);
                s.force = forces(self);
            }
            if m.m5_combat.strikes_per_person_week > 0.0 {
                m5_combat::strike(self, &mut s, &m.m5_combat);
                s.force = forces(self);
            }
        }
        if m.m4_control.enabled {
            m4_control::apply(self, &mut s, &m.m4_control);
        }
        if m.m2_services.enabled {
            m2_services::apply(self, &s, &m.m2_services);
        }
        if m.m1_revolt.enabled {
            m1_revolt::apply(self, &s, &m.m1_revolt);
        }
        if m.m3_recruitment.enabled {
            m3_recruitment::apply(self, &s.force, &m.m3_recruitment, &m.m6_money);
        }
        if m.m11_communal.enabled {
            m11_communal::apply(self, &mut s, &m.m11_communal);
        }
        if m.m8_displacement.enabled {
            m8_displacement::apply(self, &s, &m.m8_displacement);
        }
        if m.m7_accord.enabled {
            m7_accord::apply(self, &s, &m.m7_accord);
        }
        m9_alliances::apply(self, &s.force, &m.m9_alliances);
        // the coup's shock recovers linearly
        for a in self.actors.iter_mut() {
            a.capacity = (a.capacity + a.recovery).min(1.0);
            if a.capacity >= 1.0 {
                a.recovery = 0.0;
            }
        }
        self.step += 1;
        s.tallies
    }

    /// Apply the events dated within this step: exogenous inputs only.
    fn apply_events(&mut self) {
        for e in self.events_now() {
            match e {
                Event::Deploy { actor, region, persons, .. } => {
                    let a = self.actor(&actor);
                    let r = self.raster.region_index(&region).expect("validated");
                    // foreign forces sit in the region's capital (a base)
                    for c in self.raster.cells_of_region(r) {
                        self.foreign[a][c as usize] = 0.0;
                    }
                    self.foreign[a][self.capital[r] as usize] = persons;
                }
                Event::Ceiling { actor, persons, .. } => {
                    let a = self.actor(&actor);
                    let total: f64 = self.foreign[a].iter().sum();
                    if total > persons && total > 0.0 {
                        let k = persons / total;
                        self.foreign[a].iter_mut().for_each(|f| *f *= k);
                    }
                }
                Event::Money { actor, usd, per_year, until, aid, .. } => {
                    let a = self.actor(&actor);
                    let end = until.unwrap_or(self.sc.end);
                    self.dyn_.flows.push(Flow { actor: a, usd, per_year, until: end, aid, paid_once: false });
                }
                Event::Relation { a, b, relation, .. } => {
                    let (a, b) = (self.actor(&a), self.actor(&b));
                    self.stance[a][b] = relation;
                    self.stance[b][a] = relation;
                }
                Event::Merge { actors, into, .. } => {
                    let t = self.actor(&into);
                    for name in actors {
                        let a = self.actor(&name);
                        self.actors[a].merged_into = Some(t);
                        let money = std::mem::take(&mut self.actors[a].money);
                        self.actors[t].money += money;
                        for i in 0..self.agents() {
                            if self.affil[i] == a as u8 {
                                self.affil[i] = t as u8;
                            }
                        }
                    }
                }
                Event::Split { actor, into, share, communities, .. } => {
                    let (a, t) = (self.actor(&actor), self.actor(&into));
                    self.split(a, t, share, &communities);
                }
                Event::AccordSignature { party, .. } => {
                    let a = self.actor(&party);
                    self.dyn_.signed[a] = true;
                }
                Event::Observer { noise_reduction, .. } => {
                    self.dyn_.noise_scale = 1.0 - noise_reduction;
                }
                Event::Coup { actor, capacity_loss, recovery_weeks, .. } => {
                    let a = self.actor(&actor);
                    self.actors[a].capacity = 1.0 - capacity_loss;
                    self.actors[a].recovery =
                        if recovery_weeks > 0.0 { capacity_loss / recovery_weeks } else { capacity_loss };
                }
            }
        }
    }

    /// Whether `a` and `b` are both in being this step and hostile to each other
    /// (from the matrix refreshed at the start of each step).
    #[inline]
    pub fn hostile(&self, a: usize, b: usize) -> bool {
        self.dyn_.hostile[a * self.actors.len() + b]
    }

    /// Refresh who is hostile to whom (after the step's events).
    pub fn refresh_hostility(&mut self) {
        let today = self.today();
        let na = self.actors.len();
        let alive: Vec<bool> = self.actors.iter().map(|a| a.active(today)).collect();
        self.dyn_.hostile = (0..na * na)
            .map(|k| self.stance[k / na][k % na] == Stance::Hostile && alive[k / na] && alive[k % na])
            .collect();
    }

    /// Whether `a` is a Malian armed actor in being today.
    pub fn malian_active(&self, a: usize) -> bool {
        self.actors[a].kind != Kind::Foreign && self.actors[a].active(self.today())
    }

    /// Whether cell `c` is an objective (a town or a regional capital, M10).
    pub fn is_objective(&self, c: u32) -> bool {
        self.dyn_.objectives.binary_search(&c).is_ok()
    }
}
