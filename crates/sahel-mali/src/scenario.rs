//! The Mali scenario format (TOML; documented in docs/scenario.md).
//!
//! A scenario holds the geography, population, communities, actors, relations,
//! the accord ledger, dated events of the kinds the brief allows (and no others)
//! and every mechanism's parameters. Every number carries a `source`, or is marked
//! `assumed` with a reason, in its own table or the table that holds it (checked by
//! the front end on the file's text, where it can say file:line:column).

use crate::calendar::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn default_step_days() -> u32 {
    7
}

fn yes() -> bool {
    true
}

/// The whole scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Always `"mali"`.
    pub model: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub start: Date,
    pub end: Date,
    #[serde(default = "default_step_days")]
    pub step_days: u32,
    #[serde(default)]
    pub seed: u64,
    /// Persons each civilian agent stands for.
    pub people_per_agent: f64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
    pub geography: Geography,
    pub population: Population,
    /// Share of each community in each region (`communities.REGION.COMMUNITY`).
    pub communities: BTreeMap<String, SourcedMap>,
    pub actors: Vec<Actor>,
    /// Each community's support for each actor on the start date
    /// (`[initial_support]`; when absent, the values `docs/odd.md` §5 gives).
    #[serde(default)]
    pub initial_support: InitialSupport,
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(default)]
    pub accord: Option<Accord>,
    #[serde(default)]
    pub events: Vec<Event>,
    pub mechanisms: crate::mechanisms::Params,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Geography {
    /// `builtin:regions-2012` or a path to a GeoJSON FeatureCollection whose
    /// features have a `name` property.
    pub polygons: String,
    /// Cell size in degrees.
    pub cell_deg: f64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Year of the regional totals.
    pub year: i32,
    /// Growth per year (a fraction), applied from `year` to the start date.
    pub growth_per_year: f64,
    /// Persons per region in `year`.
    pub regions: SourcedMap,
    /// `builtin:towns` or a CSV path with `name,lat,lon,population,region`.
    pub towns: String,
    /// Share of a region's population living in its towns (the rest is spread
    /// over the region's cells).
    pub urban_share: SourcedMap,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// Each community's support for each actor on the start date, the same in
/// every cell, by the actor's kind and whether the community is one of its
/// home communities.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InitialSupport {
    /// The state, among its home communities and among the others.
    pub state_home: f64,
    pub state_other: f64,
    /// A foreign actor, among every community.
    pub foreign: f64,
    /// A rebel, jihadist or militia actor, among its home communities and
    /// among the others.
    pub group_home: f64,
    pub group_other: f64,
    /// A rebel, jihadist or militia actor among its home communities in the
    /// regions where it has forces on the start date, the people its first
    /// fighters came from: their support for the state plus this margin, so
    /// that they trust the group they took up arms with more than the state
    /// (`group_home` when absent).
    #[serde(default)]
    pub armed_above_state: Option<f64>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

impl Default for InitialSupport {
    fn default() -> Self {
        InitialSupport {
            state_home: 0.6,
            state_other: 0.4,
            foreign: 0.3,
            group_home: 0.4,
            group_other: 0.1,
            armed_above_state: None,
            source: None,
            assumed: Some(
                "the defaults of docs/odd.md section 5: a community trusts the state that draws its army from it more than the others do, an armed group's own people a little less than the state, foreign forces less still"
                    .into(),
            ),
        }
    }
}

/// A table of numbers by name that may also hold its `source` or `assumed` text:
/// `{ Kidal = 1500, Gao = 1000, source = "..." }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourcedMap {
    pub values: BTreeMap<String, f64>,
    pub source: Option<String>,
    pub assumed: Option<String>,
}

impl Serialize for SourcedMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        for (k, v) in &self.values {
            m.serialize_entry(k, v)?;
        }
        if let Some(src) = &self.source {
            m.serialize_entry("source", src)?;
        }
        if let Some(a) = &self.assumed {
            m.serialize_entry("assumed", a)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for SourcedMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SourcedMap;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of numbers, with an optional `source` or `assumed` text")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<SourcedMap, A::Error> {
                let mut out = SourcedMap::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "source" => out.source = Some(map.next_value()?),
                        "assumed" => out.assumed = Some(map.next_value()?),
                        _ => {
                            let v: f64 = map.next_value()?;
                            out.values.insert(key, v);
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    State,
    Rebel,
    Jihadist,
    Militia,
    Foreign,
}

impl Kind {
    /// A Malian armed group that is not the state: a rebel, jihadist or militia actor.
    pub fn armed_group(self) -> bool {
        matches!(self, Kind::Rebel | Kind::Jihadist | Kind::Militia)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Doctrine {
    Conventional,
    Irregular,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Allied,
    Neutral,
    Hostile,
}

/// An armed actor.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub name: String,
    pub kind: Kind,
    pub doctrine: Doctrine,
    #[serde(default)]
    pub home_communities: Vec<String>,
    /// Forces on the start date, in persons, by region.
    #[serde(default)]
    pub forces: SourcedMap,
    /// Money on the start date (US$).
    #[serde(default)]
    pub money: f64,
    /// Date from which the actor exists and may recruit (default: the start).
    #[serde(default)]
    pub emerges: Option<Date>,
    /// Region where an actor with no fighters yet has its nucleus: it recruits
    /// there until it has fighters of its own (M3).
    #[serde(default)]
    pub origin: Option<String>,
    /// The regions a Malian armed actor fights for (its declared aims): M10's
    /// objectives outside them are not its objectives. Empty: anywhere.
    #[serde(default)]
    pub operates_in: Vec<String>,
    /// Whether it funds services where it holds the land (M2).
    #[serde(default)]
    pub provides_services: bool,
    /// A foreign actor with an offensive mandate moves its forces by M10's rule
    /// (attacking towns held by its enemies) instead of staying at its bases.
    #[serde(default)]
    pub offensive: bool,
    /// A foreign actor with an offensive mandate that hunts: its task forces
    /// with no town to take go after the largest hostile armed group within
    /// reach that they outmass, wherever it is (a counter-terrorist mandate).
    #[serde(default)]
    pub hunts: bool,
    /// Whether an armed group takes trafficking income and levies from the
    /// towns and land it holds (M6; default true). False for a group the
    /// sources show without that income (the MNLA of 2012 in `mali-2012`).
    #[serde(default = "yes")]
    pub trafficking_and_levies: bool,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// A relation between two actors from the start date (dated changes are events).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub a: String,
    pub b: String,
    pub relation: Stance,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// What an implemented provision does to the other mechanisms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Northern representation: legitimacy of the state in the north.
    Representation,
    /// Integration of rebel fighters into the state's forces (local information).
    Integration,
    /// Local police: security delivered in the north.
    Police,
    /// Development fund: lowers hardship in the north (less what leaks).
    Development,
    /// Lists, cantonment, elections and other procedural steps owed by a party.
    Procedure,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub id: String,
    pub owed_by: String,
    pub due: Date,
    pub effect: Effect,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// What a party claims about a provision, with the claim's source.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub date: Date,
    pub party: String,
    pub provision: String,
    /// Claimed level on the Peace Accords Matrix scale 0..=3.
    pub level: f64,
    pub source: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accord {
    /// The parties whose implementation is tracked.
    pub parties: Vec<String>,
    pub provisions: Vec<Provision>,
    #[serde(default)]
    pub claims: Vec<Claim>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Option<String>,
}

/// A dated exogenous input. Only these kinds exist: the brief allows no other.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A foreign actor's strength in a region becomes `persons` (arrival,
    /// reinforcement, drawdown or departure).
    Deploy {
        date: Date,
        actor: String,
        region: String,
        persons: f64,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
    /// A ceiling on a foreign actor's total strength.
    Ceiling {
        date: Date,
        actor: String,
        persons: f64,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
    /// Money for an actor: once, or a yearly flow from `date` until `until`.
    Money {
        date: Date,
        actor: String,
        usd: f64,
        #[serde(default)]
        per_year: bool,
        #[serde(default)]
        until: Option<Date>,
        /// Foreign aid: elites capture a share (M6) before it is spent.
        #[serde(default)]
        aid: bool,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
    /// A relation changes (alliance, split).
    Relation {
        date: Date,
        a: String,
        b: String,
        relation: Stance,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
    /// Actors merge into one: their fighters, money and land pass to `into`, whose
    /// own relations (from the scenario's `relations`) then apply.
    Merge {
        date: Date,
        actors: Vec<String>,
        into: String,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
    /// A wing leaves an actor to form (or join) `into`: each fighter of `actor`
    /// of one of `communities` (all its fighters when empty) goes over with
    /// chance `share`, where it stands. Fighters only: no money, no land.
    Split {
        date: Date,
        actor: String,
        into: String,
        share: f64,
        #[serde(default)]
        communities: Vec<String>,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
    /// A party signs the accord; its implementation game starts.
    AccordSignature {
        date: Date,
        party: String,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
    /// An independent observer reports from `date`: it cuts the noise in what each
    /// party perceives of the others' implementation by `noise_reduction`.
    Observer {
        date: Date,
        noise_reduction: f64,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
    /// The coup: one bounded shock to the state's capacity (its forces' fighting
    /// power and the services it delivers), recovering linearly over `recovery_weeks`.
    Coup {
        date: Date,
        actor: String,
        capacity_loss: f64,
        recovery_weeks: f64,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        assumed: Option<String>,
    },
}

impl Event {
    pub fn date(&self) -> Date {
        match self {
            Event::Deploy { date, .. }
            | Event::Ceiling { date, .. }
            | Event::Money { date, .. }
            | Event::Relation { date, .. }
            | Event::Merge { date, .. }
            | Event::Split { date, .. }
            | Event::AccordSignature { date, .. }
            | Event::Observer { date, .. }
            | Event::Coup { date, .. } => *date,
        }
    }
}

/// A problem with one value: its key path (dotted, arrays as `actors.3.name`) and
/// what was expected.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    pub key: String,
    pub message: String,
}

impl Scenario {
    /// Every check that needs more than the types: references, dates, ranges.
    pub fn validate(&self) -> Vec<ScenarioError> {
        let mut errs = Vec::new();
        let mut err = |key: String, message: String| errs.push(ScenarioError { key, message });
        if self.model != "mali" {
            err("model".into(), format!("expected \"mali\", found {:?}", self.model));
        }
        if self.end <= self.start {
            err("end".into(), format!("expected a date after the start ({}), found {}", self.start, self.end));
        }
        if self.step_days != 7 {
            err(
                "step_days".into(),
                format!("expected 7: the Mali model's rates are weekly and other step lengths are not supported yet, found {}", self.step_days),
            );
        }
        if !(self.people_per_agent >= 1.0 && self.people_per_agent <= 1e6) {
            err("people_per_agent".into(), format!("expected a number in [1, 1e6], found {}", self.people_per_agent));
        }
        if !(self.geography.cell_deg > 0.001 && self.geography.cell_deg <= 5.0) {
            err(
                "geography.cell_deg".into(),
                format!("expected a size in (0.001, 5] degrees, found {}", self.geography.cell_deg),
            );
        }
        let p = &self.population;
        if !(p.growth_per_year > -0.5 && p.growth_per_year < 0.5) {
            err(
                "population.growth_per_year".into(),
                format!("expected a yearly fraction in (-0.5, 0.5), found {}", p.growth_per_year),
            );
        }
        for (r, v) in &p.regions.values {
            if !(v.is_finite() && *v >= 0.0) {
                err(format!("population.regions.{r}"), format!("expected a number of persons >= 0, found {v}"));
            }
        }
        for (r, v) in &p.urban_share.values {
            if !(0.0..=1.0).contains(v) {
                err(format!("population.urban_share.{r}"), format!("expected a share in [0, 1], found {v}"));
            }
        }
        for (r, shares) in &self.communities {
            let total: f64 = shares.values.values().sum();
            for (k, v) in &shares.values {
                if !(0.0..=1.0).contains(v) {
                    err(format!("communities.{r}.{k}"), format!("expected a share in [0, 1], found {v}"));
                }
            }
            if (total - 1.0).abs() > 1e-6 {
                err(format!("communities.{r}"), format!("expected shares summing to 1, found {total}"));
            }
        }
        let s0 = &self.initial_support;
        for (k, v) in [
            ("state_home", s0.state_home),
            ("state_other", s0.state_other),
            ("foreign", s0.foreign),
            ("group_home", s0.group_home),
            ("group_other", s0.group_other),
            ("armed_above_state", s0.armed_above_state.unwrap_or(0.0)),
            ("state_home + armed_above_state", s0.state_home + s0.armed_above_state.unwrap_or(0.0)),
            ("state_other + armed_above_state", s0.state_other + s0.armed_above_state.unwrap_or(0.0)),
        ] {
            if !(0.0..=1.0).contains(&v) {
                err(format!("initial_support.{k}"), format!("expected a support in [0, 1], found {v}"));
            }
        }
        let names: Vec<&str> = self.actors.iter().map(|a| a.name.as_str()).collect();
        let actor_known = |n: &str| names.contains(&n);
        for (i, a) in self.actors.iter().enumerate() {
            if names.iter().filter(|&&n| n == a.name).count() > 1 {
                err(format!("actors.{i}.name"), format!("actor `{}` is defined twice", a.name));
            }
            for (r, v) in &a.forces.values {
                if !(v.is_finite() && *v >= 0.0) {
                    err(format!("actors.{i}.forces.{r}"), format!("expected persons >= 0, found {v}"));
                }
            }
            if a.kind == Kind::Foreign && !a.forces.values.is_empty() {
                err(
                    format!("actors.{i}.forces"),
                    "a foreign actor's forces come from `deploy` events, not from Malian people".into(),
                );
            }
            if a.offensive && a.kind != Kind::Foreign {
                err(
                    format!("actors.{i}.offensive"),
                    "only a foreign actor takes `offensive` (Malian actors always decide by M10)".into(),
                );
            }
            if a.hunts && !(a.offensive && a.kind == Kind::Foreign) {
                err(
                    format!("actors.{i}.hunts"),
                    "only a foreign actor with an offensive mandate (`offensive = true`) takes `hunts`".into(),
                );
            }
            if !a.trafficking_and_levies && !a.kind.armed_group() {
                err(
                    format!("actors.{i}.trafficking_and_levies"),
                    "only an armed group (rebel, jihadist, militia) takes trafficking income and levies".into(),
                );
            }
            if a.emerges.is_some() && a.forces.values.values().any(|&v| v > 0.0) {
                err(format!("actors.{i}.emerges"), "an actor that emerges later starts with no forces".into());
            }
            if !(a.money.is_finite() && a.money >= 0.0) {
                err(format!("actors.{i}.money"), format!("expected money >= 0, found {}", a.money));
            }
            if let Some(d) = a.emerges {
                if d < self.start || d > self.end {
                    err(
                        format!("actors.{i}.emerges"),
                        format!("expected a date within {}..{}, found {d}", self.start, self.end),
                    );
                }
            }
        }
        let ev_actor = |i: usize, field: &str, n: &str, errs: &mut Vec<ScenarioError>| {
            if !actor_known(n) {
                errs.push(ScenarioError {
                    key: format!("events.{i}.{field}"),
                    message: format!("unknown actor `{n}`; expected one of: {}", names.join(", ")),
                });
            }
        };
        for (i, r) in self.relations.iter().enumerate() {
            for (f, n) in [("a", &r.a), ("b", &r.b)] {
                if !actor_known(n) {
                    err(
                        format!("relations.{i}.{f}"),
                        format!("unknown actor `{n}`; expected one of: {}", names.join(", ")),
                    );
                }
            }
        }
        let mut more = Vec::new();
        for (i, e) in self.events.iter().enumerate() {
            let d = e.date();
            if d < self.start || d > self.end {
                more.push(ScenarioError {
                    key: format!("events.{i}.date"),
                    message: format!("expected a date within {}..{}, found {d}", self.start, self.end),
                });
            }
            match e {
                Event::Deploy { actor, persons, .. } | Event::Ceiling { actor, persons, .. } => {
                    ev_actor(i, "actor", actor, &mut more);
                    if let Some(a) = self.actors.iter().find(|a| &a.name == actor) {
                        if a.kind != Kind::Foreign {
                            more.push(ScenarioError {
                                key: format!("events.{i}.actor"),
                                message: format!(
                                    "`{actor}` is a Malian actor: after the start its forces change only through the mechanisms; deployments are for foreign actors"
                                ),
                            });
                        }
                    }
                    if !(persons.is_finite() && *persons >= 0.0) {
                        more.push(ScenarioError {
                            key: format!("events.{i}.persons"),
                            message: format!("expected persons >= 0, found {persons}"),
                        });
                    }
                }
                Event::Money { actor, usd, .. } => {
                    ev_actor(i, "actor", actor, &mut more);
                    if !(usd.is_finite() && *usd >= 0.0) {
                        more.push(ScenarioError {
                            key: format!("events.{i}.usd"),
                            message: format!("expected an amount >= 0, found {usd}"),
                        });
                    }
                }
                Event::Relation { a, b, .. } => {
                    ev_actor(i, "a", a, &mut more);
                    ev_actor(i, "b", b, &mut more);
                }
                Event::Merge { actors, into, .. } => {
                    for a in actors {
                        ev_actor(i, "actors", a, &mut more);
                    }
                    ev_actor(i, "into", into, &mut more);
                }
                Event::Split { actor, into, share, communities, date, .. } => {
                    ev_actor(i, "actor", actor, &mut more);
                    ev_actor(i, "into", into, &mut more);
                    if !(0.0..=1.0).contains(share) {
                        more.push(ScenarioError {
                            key: format!("events.{i}.share"),
                            message: format!("expected a share in [0, 1], found {share}"),
                        });
                    }
                    for (k, c) in communities.iter().enumerate() {
                        if !self.communities.values().any(|m| m.values.contains_key(c)) {
                            more.push(ScenarioError {
                                key: format!("events.{i}.communities.{k}"),
                                message: format!("unknown community `{c}`"),
                            });
                        }
                    }
                    let armed = |n: &str| self.actors.iter().find(|a| a.name == n).map(|a| a.kind.armed_group());
                    for (field, n) in [("actor", actor), ("into", into)] {
                        if armed(n) == Some(false) {
                            more.push(ScenarioError {
                                key: format!("events.{i}.{field}"),
                                message: format!("expected an armed group (rebel, jihadist, militia), found `{n}`"),
                            });
                        }
                    }
                    if actor == into {
                        more.push(ScenarioError {
                            key: format!("events.{i}.into"),
                            message: format!("expected another actor than `{actor}`"),
                        });
                    }
                    if let Some(e) = self.actors.iter().find(|a| &a.name == into).and_then(|a| a.emerges) {
                        if e > *date {
                            more.push(ScenarioError {
                                key: format!("events.{i}.into"),
                                message: format!("`{into}` emerges on {e}, after the split on {date}"),
                            });
                        }
                    }
                }
                Event::AccordSignature { party, .. } => ev_actor(i, "party", party, &mut more),
                Event::Observer { noise_reduction, .. } => {
                    if !(0.0..=1.0).contains(noise_reduction) {
                        more.push(ScenarioError {
                            key: format!("events.{i}.noise_reduction"),
                            message: format!("expected a share in [0, 1], found {noise_reduction}"),
                        });
                    }
                }
                Event::Coup { actor, capacity_loss, recovery_weeks, .. } => {
                    ev_actor(i, "actor", actor, &mut more);
                    if !(0.0..=1.0).contains(capacity_loss) {
                        more.push(ScenarioError {
                            key: format!("events.{i}.capacity_loss"),
                            message: format!("expected a share in [0, 1], found {capacity_loss}"),
                        });
                    }
                    if !(recovery_weeks.is_finite() && *recovery_weeks >= 0.0) {
                        more.push(ScenarioError {
                            key: format!("events.{i}.recovery_weeks"),
                            message: format!("expected weeks >= 0, found {recovery_weeks}"),
                        });
                    }
                }
            }
        }
        if let Some(acc) = &self.accord {
            for (i, p) in acc.parties.iter().enumerate() {
                if !actor_known(p) {
                    more.push(ScenarioError {
                        key: format!("accord.parties.{i}"),
                        message: format!("unknown actor `{p}`"),
                    });
                }
            }
            for (i, p) in acc.provisions.iter().enumerate() {
                if !acc.parties.contains(&p.owed_by) {
                    more.push(ScenarioError {
                        key: format!("accord.provisions.{i}.owed_by"),
                        message: format!(
                            "expected one of the accord's parties ({}), found `{}`",
                            acc.parties.join(", "),
                            p.owed_by
                        ),
                    });
                }
            }
            for (i, c) in acc.claims.iter().enumerate() {
                if !acc.parties.contains(&c.party) {
                    more.push(ScenarioError {
                        key: format!("accord.claims.{i}.party"),
                        message: format!(
                            "expected one of the accord's parties ({}), found `{}`",
                            acc.parties.join(", "),
                            c.party
                        ),
                    });
                }
                if !acc.provisions.iter().any(|p| p.id == c.provision) {
                    more.push(ScenarioError {
                        key: format!("accord.claims.{i}.provision"),
                        message: format!("unknown provision `{}`", c.provision),
                    });
                }
                if !(0.0..=3.0).contains(&c.level) {
                    more.push(ScenarioError {
                        key: format!("accord.claims.{i}.level"),
                        message: format!("expected a level in [0, 3] (Peace Accords Matrix), found {}", c.level),
                    });
                }
            }
        }
        let all_communities: Vec<&String> = self.communities.values().flat_map(|m| m.values.keys()).collect();
        for (i, pair) in self.mechanisms.m11_communal.pairs.iter().enumerate() {
            for name in pair {
                if !all_communities.contains(&name) {
                    more.push(ScenarioError {
                        key: format!("mechanisms.m11_communal.pairs.{i}"),
                        message: format!("unknown community `{name}`"),
                    });
                }
            }
        }
        for (i, name) in self.mechanisms.m11_communal.armed_by.iter().enumerate() {
            let message = match self.actors.iter().find(|a| &a.name == name) {
                None => format!("unknown actor `{name}`"),
                Some(a) if !a.kind.armed_group() => {
                    format!("`{name}` is not an armed group: expected a rebel, jihadist or militia actor")
                }
                Some(_) => continue,
            };
            more.push(ScenarioError { key: format!("mechanisms.m11_communal.armed_by.{i}"), message });
        }
        errs.extend(more);
        errs.extend(self.mechanisms.validate());
        errs
    }
}

/// Key paths of the numbers in a scenario tree that carry no source: a number
/// is sourced when its own table, or the table holding that table, has a
/// non-empty `source` or `assumed` text. (Array elements count as tables; an
/// array of numbers is covered by the table holding it.) The top level's own
/// source covers its own numbers only.
pub fn unsourced_numbers(tree: &serde_json::Value) -> Vec<String> {
    fn has_source(v: &serde_json::Value) -> bool {
        ["source", "assumed"].iter().any(|k| v.get(k).and_then(|s| s.as_str()).is_some_and(|s| !s.trim().is_empty()))
    }
    fn walk(v: &serde_json::Value, path: &str, parent_sourced: bool, out: &mut Vec<String>) {
        if let serde_json::Value::Object(map) = v {
            let sourced = has_source(v) || parent_sourced;
            for (k, x) in map {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match x {
                    serde_json::Value::Number(_) if !sourced => out.push(p),
                    serde_json::Value::Array(items) => {
                        for (i, item) in items.iter().enumerate() {
                            match item {
                                serde_json::Value::Number(_) if !sourced => out.push(format!("{p}.{i}")),
                                serde_json::Value::Object(_) => walk(item, &format!("{p}.{i}"), has_source(v), out),
                                _ => {}
                            }
                        }
                    }
                    // a sub-table inherits its parent's own source only (one level)
                    serde_json::Value::Object(_) => walk(x, &p, has_source(v), out),
                    _ => {}
                }
            }
        }
    }
    // the top level's own source covers its own numbers only, not its tables
    let mut out = Vec::new();
    if let serde_json::Value::Object(map) = tree {
        let root_sourced = has_source(tree);
        for (k, x) in map {
            match x {
                serde_json::Value::Number(_) if !root_sourced => out.push(k.clone()),
                serde_json::Value::Object(_) => walk(x, k, false, &mut out),
                serde_json::Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        match item {
                            serde_json::Value::Number(_) if !root_sourced => out.push(format!("{k}.{i}")),
                            serde_json::Value::Object(_) => walk(item, &format!("{k}.{i}"), false, &mut out),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

impl Scenario {
    /// Region names used anywhere must be regions of the geography.
    pub fn check_regions(&self, regions: &[String]) -> Vec<ScenarioError> {
        let mut errs = Vec::new();
        let known = |r: &str| regions.iter().any(|x| x == r);
        let list = regions.join(", ");
        let mut check = |key: String, r: &str| {
            if !known(r) {
                errs.push(ScenarioError { key, message: format!("unknown region `{r}`; expected one of: {list}") });
            }
        };
        for r in self.population.regions.values.keys() {
            check(format!("population.regions.{r}"), r);
        }
        for r in self.population.urban_share.values.keys() {
            check(format!("population.urban_share.{r}"), r);
        }
        for r in self.communities.keys() {
            check(format!("communities.{r}"), r);
        }
        for (i, a) in self.actors.iter().enumerate() {
            for r in a.forces.values.keys() {
                check(format!("actors.{i}.forces.{r}"), r);
            }
            if let Some(o) = &a.origin {
                check(format!("actors.{i}.origin"), o);
            }
            for (j, r) in a.operates_in.iter().enumerate() {
                check(format!("actors.{i}.operates_in.{j}"), r);
            }
        }
        for (i, r) in self.mechanisms.m11_communal.regions.iter().enumerate() {
            check(format!("mechanisms.m11_communal.regions.{i}"), r);
        }
        for r in self.mechanisms.m2_services.state_service_regions.keys() {
            check(format!("mechanisms.m2_services.state_service_regions.{r}"), r);
        }
        for (i, e) in self.events.iter().enumerate() {
            if let Event::Deploy { region, .. } = e {
                check(format!("events.{i}.region"), region);
            }
        }
        for r in regions {
            if !self.population.regions.values.contains_key(r) {
                errs.push(ScenarioError {
                    key: "population.regions".into(),
                    message: format!("no population for region `{r}`"),
                });
            }
            if !self.communities.contains_key(r) {
                errs.push(ScenarioError {
                    key: "communities".into(),
                    message: format!("no communities for region `{r}`"),
                });
            }
        }
        errs
    }
}

/// The built-in Mali scenarios, embedded as their TOML text.
pub const BUILTIN: &[(&str, &str)] = &[("mali-2012", include_str!("../scenarios/mali-2012.toml"))];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::{Raster, BUILTIN_REGIONS_2012};

    fn builtin() -> (Scenario, serde_json::Value) {
        let text = BUILTIN[0].1;
        let sc: Scenario = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        let tree: serde_json::Value = serde_json::to_value(text.parse::<toml::Table>().unwrap()).unwrap();
        (sc, tree)
    }

    #[test]
    fn mali_2012_is_valid_and_fully_sourced() {
        let (sc, tree) = builtin();
        assert_eq!(sc.validate(), vec![]);
        let raster = Raster::from_geojson(BUILTIN_REGIONS_2012, sc.geography.cell_deg).unwrap();
        let names: Vec<String> = raster.regions.iter().map(|r| r.name.clone()).collect();
        assert_eq!(sc.check_regions(&names), vec![]);
        assert_eq!(unsourced_numbers(&tree), Vec::<String>::new());
        // census total (facts.md): 14,528,662 in 2009
        let total: f64 = sc.population.regions.values.values().sum();
        assert_eq!(total, 14_528_662.0);
    }

    #[test]
    fn an_unsourced_number_is_found() {
        let text = BUILTIN[0].1.replace(
            "assumed = \"people_per_agent 100 is the default scale; step of 7 days as in Athena (brief, section 4)\"",
            "",
        );
        let tree: serde_json::Value = serde_json::to_value(text.parse::<toml::Table>().unwrap()).unwrap();
        let missing = unsourced_numbers(&tree);
        assert!(missing.contains(&"people_per_agent".to_string()), "{missing:?}");
    }

    #[test]
    fn forbidden_event_kinds_and_malian_deployments_are_refused() {
        let text = format!("{}\n[[events]]\nkind = \"control\"\ndate = 2013-01-01\n", BUILTIN[0].1);
        let e = toml::from_str::<Scenario>(&text).unwrap_err().to_string();
        assert!(e.contains("unknown variant `control`"), "{e}");
        let text = format!(
            "{}\n[[events]]\nkind = \"deploy\"\ndate = 2013-01-01\nactor = \"FAMa\"\nregion = \"Gao\"\npersons = 500\nsource = \"x\"\n",
            BUILTIN[0].1
        );
        let sc: Scenario = toml::from_str(&text).unwrap();
        let errs = sc.validate();
        assert!(errs.iter().any(|e| e.message.contains("Malian actor")), "{errs:?}");
    }

    #[test]
    fn references_dates_and_ranges_are_checked() {
        let (mut sc, _) = builtin();
        sc.relations[0].b = "Nobody".into();
        sc.events[0] = Event::Money {
            date: Date::parse("2019-01-01").unwrap(),
            actor: "FAMa".into(),
            usd: -1.0,
            per_year: false,
            until: None,
            aid: false,
            source: None,
            assumed: None,
        };
        sc.communities.get_mut("Kidal").unwrap().values.insert("Tuareg".into(), 0.5);
        sc.mechanisms.m11_communal.armed_by = vec!["MUJAO".into(), "Nobody".into(), "FAMa".into()];
        sc.initial_support.group_other = -0.1;
        sc.initial_support.armed_above_state = Some(0.5); // 0.6 + 0.5 > 1
        let keys: Vec<String> = sc.validate().into_iter().map(|e| e.key).collect();
        assert!(!keys.iter().any(|x| x == "mechanisms.m11_communal.armed_by.0"), "MUJAO is an armed group");
        assert!(keys.iter().any(|x| x == "mechanisms.m11_communal.armed_by.2"), "the state is not an armed group");
        for k in [
            "relations.0.b",
            "events.0.date",
            "events.0.usd",
            "communities.Kidal",
            "mechanisms.m11_communal.armed_by.1",
            "initial_support.group_other",
            "initial_support.state_home + armed_above_state",
        ] {
            assert!(keys.iter().any(|x| x == k), "{k} not in {keys:?}");
        }
    }

    #[test]
    fn a_split_and_the_income_switch_are_checked() {
        let (mut sc, _) = builtin();
        let split = |actor: &str, into: &str, share: f64, community: &str, date: &str| Event::Split {
            date: Date::parse(date).unwrap(),
            actor: actor.into(),
            into: into.into(),
            share,
            communities: vec![community.into()],
            source: None,
            assumed: None,
        };
        sc.events.push(split("Ansar Dine", "CMA", 1.5, "Martians", "2014-07-01"));
        sc.events.push(split("FAMa", "Ansar Dine", 0.5, "Tuareg", "2014-07-01"));
        sc.events.push(split("MNLA", "CMA", 0.5, "Tuareg", "2013-01-24"));
        sc.events.push(split("MNLA", "MNLA", 0.5, "Tuareg", "2013-01-24"));
        sc.events.push(split("MNLA", "CMA", 0.5, "Tuareg", "2014-07-01"));
        let n = sc.events.len();
        sc.actors[0].trafficking_and_levies = false; // FAMa: the state
        sc.actors[1].trafficking_and_levies = false; // MNLA: an armed group may
        let keys: Vec<String> = sc.validate().into_iter().map(|e| e.key).collect();
        for k in [
            format!("events.{}.share", n - 5),
            format!("events.{}.communities.0", n - 5),
            format!("events.{}.actor", n - 4),
            format!("events.{}.into", n - 3),
            format!("events.{}.into", n - 2),
            "actors.0.trafficking_and_levies".to_string(),
        ] {
            assert!(keys.iter().any(|x| *x == k), "{k} not in {keys:?}");
        }
        assert!(!keys.iter().any(|x| x.starts_with(&format!("events.{}", n - 1))), "a valid split: {keys:?}");
        assert!(!keys.iter().any(|x| x == "actors.1.trafficking_and_levies"), "{keys:?}");
    }
}
