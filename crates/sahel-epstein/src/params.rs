//! Parameters of the Epstein models, with Mesa's names, and the rule sets
//! (`variant`s) that differ between the paper, NetLogo's "Rebellion" and Mesa's
//! example. A variant only fills in the rule switches a scenario leaves unset, so
//! every switch can also be set on its own.

use sahel_engine::{Scheduler, Shape};
use serde::{Deserialize, Serialize};

/// Which published rule set the switches default to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// Epstein (2002) as written: `P = 1 − exp(−k·C/A)`, jail term uniform in `[0, J]`.
    Paper,
    /// NetLogo Models Library "Rebellion" (Wilensky 2004).
    Netlogo,
    /// Mesa 3.5.1 `examples/advanced/epstein_civil_violence`.
    Mesa,
}

/// How `C/A` enters the estimated arrest probability `P = 1 − exp(−k·f(C/A))`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrestRule {
    /// `f(x) = x` (the paper's formula).
    Exact,
    /// `f(x) = ⌊x⌋` (NetLogo).
    Floor,
    /// `f(x) = round-half-to-even(x)` (Mesa, Python's `round`).
    Round,
}

/// The range of the jail-term draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JailDraw {
    /// Integer uniform in `[0, J]` (paper; Mesa's `randint(0, J)`).
    Inclusive,
    /// Integer uniform in `[0, J − 1]` (NetLogo's `random J`).
    Exclusive,
}

/// When a jailed agent's remaining term is counted down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JailCountdown {
    /// For all jailed agents at the end of each step; an agent whose term reaches
    /// 0 is free (NetLogo; the paper).
    EndOfStep,
    /// In the agent's own activation: a jailed agent with term > 0 counts down and
    /// does nothing else; with term 0 it acts normally (Mesa).
    OwnStep,
}

/// The order of the two parts of an activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Move, then decide (citizen) or arrest (cop) — NetLogo, the paper.
    MoveThenAct,
    /// Decide or arrest, then move — Mesa.
    ActThenMove,
}

/// How the initial population is placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// `round(density × cells)` cops, then citizens, each on a random empty cell (NetLogo).
    ExactCounts,
    /// Each cell independently holds a citizen, a cop or nothing with the densities
    /// as probabilities (Mesa's `random.choices` per cell).
    PerCell,
}

/// A change of legitimacy over time (Epstein's runs 3 and 4).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum LegitimacySchedule {
    /// `legitimacy` throughout.
    #[default]
    Constant,
    /// From step `start`, legitimacy falls by `per_step` each step until `floor`.
    Gradual { start: u64, per_step: f64, floor: f64 },
    /// At step `at` legitimacy jumps to `to`.
    Sudden { at: u64, to: f64 },
}

/// The rule switches. Each is `None` in a scenario that leaves it to the variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Switches {
    pub neighborhood: Option<Shape>,
    /// Whether an agent's own cell is part of its neighbourhood.
    pub include_center: Option<bool>,
    pub arrest_rule: Option<ArrestRule>,
    pub jail_draw: Option<JailDraw>,
    pub jail_countdown: Option<JailCountdown>,
    /// Whether jailed agents keep occupying their cell (Mesa) or the cell counts as
    /// empty while they serve (NetLogo, the paper).
    pub jailed_occupy: Option<bool>,
    /// Whether a cop moves onto the cell of the agent it arrests (NetLogo).
    pub cop_moves_to_arrest: Option<bool>,
    /// Whether cops move even when `movement` is false (NetLogo, the paper).
    pub cops_always_move: Option<bool>,
    pub order: Option<Order>,
    /// Mesa 3.5.1's quirk: citizens are constructed with `cop_vision`.
    pub citizens_use_cop_vision: Option<bool>,
    pub placement: Option<Placement>,
}

/// The switches with every value decided.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rules {
    pub neighborhood: Shape,
    pub include_center: bool,
    pub arrest_rule: ArrestRule,
    pub jail_draw: JailDraw,
    pub jail_countdown: JailCountdown,
    pub jailed_occupy: bool,
    pub cop_moves_to_arrest: bool,
    pub cops_always_move: bool,
    pub order: Order,
    pub citizens_use_cop_vision: bool,
    pub placement: Placement,
}

impl Variant {
    pub fn rules(self) -> Rules {
        match self {
            Variant::Netlogo => Rules {
                neighborhood: Shape::Disc,
                include_center: true,
                arrest_rule: ArrestRule::Floor,
                jail_draw: JailDraw::Exclusive,
                jail_countdown: JailCountdown::EndOfStep,
                jailed_occupy: false,
                cop_moves_to_arrest: true,
                cops_always_move: true,
                order: Order::MoveThenAct,
                citizens_use_cop_vision: false,
                placement: Placement::ExactCounts,
            },
            Variant::Mesa => Rules {
                neighborhood: Shape::VonNeumann,
                include_center: false,
                arrest_rule: ArrestRule::Round,
                jail_draw: JailDraw::Inclusive,
                jail_countdown: JailCountdown::OwnStep,
                jailed_occupy: true,
                cop_moves_to_arrest: false,
                cops_always_move: false,
                order: Order::ActThenMove,
                citizens_use_cop_vision: true,
                placement: Placement::PerCell,
            },
            Variant::Paper => Rules {
                neighborhood: Shape::VonNeumann,
                include_center: false,
                arrest_rule: ArrestRule::Exact,
                jail_draw: JailDraw::Inclusive,
                jail_countdown: JailCountdown::EndOfStep,
                jailed_occupy: false,
                cop_moves_to_arrest: false,
                cops_always_move: true,
                order: Order::MoveThenAct,
                citizens_use_cop_vision: false,
                placement: Placement::ExactCounts,
            },
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Variant::Paper => "paper",
            Variant::Netlogo => "netlogo",
            Variant::Mesa => "mesa",
        }
    }
}

impl Switches {
    pub fn resolve(&self, variant: Variant) -> Rules {
        let d = variant.rules();
        Rules {
            neighborhood: self.neighborhood.unwrap_or(d.neighborhood),
            include_center: self.include_center.unwrap_or(d.include_center),
            arrest_rule: self.arrest_rule.unwrap_or(d.arrest_rule),
            jail_draw: self.jail_draw.unwrap_or(d.jail_draw),
            jail_countdown: self.jail_countdown.unwrap_or(d.jail_countdown),
            jailed_occupy: self.jailed_occupy.unwrap_or(d.jailed_occupy),
            cop_moves_to_arrest: self.cop_moves_to_arrest.unwrap_or(d.cop_moves_to_arrest),
            cops_always_move: self.cops_always_move.unwrap_or(d.cops_always_move),
            order: self.order.unwrap_or(d.order),
            citizens_use_cop_vision: self.citizens_use_cop_vision.unwrap_or(d.citizens_use_cop_vision),
            placement: self.placement.unwrap_or(d.placement),
        }
    }
}

fn default_batches() -> u32 {
    16
}
fn default_steps() -> u64 {
    200
}
fn default_threshold() -> f64 {
    0.1
}
fn default_k() -> f64 {
    2.3
}
fn default_true() -> bool {
    true
}
fn default_epstein_model() -> u8 {
    1
}
fn default_clone_probability() -> f64 {
    0.05
}
fn default_max_age() -> u32 {
    200
}

/// Model II (inter-group violence) settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupParams {
    /// Share of citizens in the first group (the rest are in the second).
    #[serde(default = "half")]
    pub first_group_share: f64,
    /// Legitimacy of the *other* group as perceived by each group; when unset, both
    /// use `legitimacy`.
    #[serde(default)]
    pub legitimacy_by_group: Option<[f64; 2]>,
    /// Per-step probability that a living free citizen clones itself into an empty
    /// neighbouring cell.
    #[serde(default = "default_clone_probability")]
    pub clone_probability: f64,
    /// Age (steps) at which a citizen dies.
    #[serde(default = "default_max_age")]
    pub max_age: u32,
}

fn half() -> f64 {
    0.5
}

impl Default for GroupParams {
    fn default() -> Self {
        GroupParams {
            first_group_share: 0.5,
            legitimacy_by_group: None,
            clone_probability: default_clone_probability(),
            max_age: default_max_age(),
        }
    }
}

/// All parameters of an Epstein scenario, as written in a scenario file (flat keys,
/// Mesa's names).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Which model reads this file: always `"epstein"` here.
    pub model: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Where the numbers come from.
    #[serde(default)]
    pub source: String,
    /// Steps to run (`--steps` overrides).
    #[serde(default = "default_steps")]
    pub steps: u64,
    /// Random seed (`--seed` overrides).
    #[serde(default)]
    pub seed: u64,
    /// 1: civil violence against a central authority; 2: inter-group violence.
    #[serde(default = "default_epstein_model")]
    pub epstein_model: u8,
    pub variant: Variant,
    #[serde(default)]
    pub scheduler: Scheduler,
    /// `parallel` scheduler: random batches per step (1 = fully synchronous).
    #[serde(default = "default_batches")]
    pub batches: u32,
    pub width: u32,
    pub height: u32,
    pub citizen_density: f64,
    pub cop_density: f64,
    pub citizen_vision: f64,
    pub cop_vision: f64,
    pub legitimacy: f64,
    #[serde(default)]
    pub legitimacy_schedule: LegitimacySchedule,
    /// Maximum jail term in steps; `inf` for life.
    pub max_jail_term: f64,
    #[serde(default = "default_threshold")]
    pub active_threshold: f64,
    #[serde(default = "default_k")]
    pub arrest_prob_constant: f64,
    #[serde(default = "default_true")]
    pub movement: bool,
    /// Rule switches left unset take the variant's value (`[rules]` table).
    #[serde(default, rename = "rules")]
    pub switches: Switches,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<GroupParams>,
}

/// A problem with one parameter: its key path and what was expected.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamError {
    pub key: String,
    pub message: String,
}

impl Params {
    pub fn rules(&self) -> Rules {
        self.switches.resolve(self.variant)
    }

    /// Legitimacy at `step` (per group for Model II).
    pub fn legitimacy_at(&self, step: u64, group: usize) -> f64 {
        let base = match &self.groups {
            Some(GroupParams { legitimacy_by_group: Some(l), .. }) => l[group.min(1)],
            _ => self.legitimacy,
        };
        match self.legitimacy_schedule {
            LegitimacySchedule::Constant => base,
            LegitimacySchedule::Gradual { start, per_step, floor } => {
                if step < start {
                    base
                } else {
                    (base - per_step * (step - start) as f64).max(floor)
                }
            }
            LegitimacySchedule::Sudden { at, to } => {
                if step < at {
                    base
                } else {
                    to
                }
            }
        }
    }

    /// Every range check, each naming its key.
    pub fn validate(&self) -> Vec<ParamError> {
        let mut errs = Vec::new();
        let mut err = |key: &str, message: String| errs.push(ParamError { key: key.into(), message });
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        if self.model != "epstein" {
            err("model", format!("expected \"epstein\", found {:?}", self.model));
        }
        if !(1..=2).contains(&self.epstein_model) {
            err("epstein_model", format!("expected 1 or 2, found {}", self.epstein_model));
        }
        if self.batches == 0 || self.batches > 255 {
            err("batches", format!("expected 1 to 255, found {}", self.batches));
        }
        for (k, v) in [("width", self.width), ("height", self.height)] {
            if v == 0 || v > 1_000_000 {
                err(k, format!("expected 1 to 1000000 cells, found {v}"));
            }
        }
        if (self.width as u64 * self.height as u64) > (u32::MAX as u64 / 2) {
            err("width", format!("expected a grid of at most 2^31 cells, found {}×{}", self.width, self.height));
        }
        for (k, v) in [
            ("citizen_density", self.citizen_density),
            ("cop_density", self.cop_density),
            ("legitimacy", self.legitimacy),
        ] {
            if !unit(v) {
                err(k, format!("expected a number in [0, 1], found {v}"));
            }
        }
        if self.citizen_density + self.cop_density > 1.0 + 1e-12 {
            err(
                "cop_density",
                format!(
                    "expected citizen_density + cop_density <= 1 (one agent per cell), found {}",
                    self.citizen_density + self.cop_density
                ),
            );
        }
        for (k, v) in [("citizen_vision", self.citizen_vision), ("cop_vision", self.cop_vision)] {
            if !(v.is_finite() && (0.0..=1000.0).contains(&v)) {
                err(k, format!("expected a vision radius in [0, 1000], found {v}"));
            }
        }
        let j = self.max_jail_term;
        if !(j == f64::INFINITY || (j >= 0.0 && j.fract() == 0.0 && j < u32::MAX as f64)) {
            err("max_jail_term", format!("expected a whole number of steps >= 0 or inf, found {j}"));
        }
        if !(self.active_threshold.is_finite()) {
            err("active_threshold", format!("expected a finite number, found {}", self.active_threshold));
        }
        if !(self.arrest_prob_constant.is_finite() && self.arrest_prob_constant >= 0.0) {
            err("arrest_prob_constant", format!("expected a number >= 0, found {}", self.arrest_prob_constant));
        }
        match self.legitimacy_schedule {
            LegitimacySchedule::Constant => {}
            LegitimacySchedule::Gradual { per_step, floor, .. } => {
                if !(per_step.is_finite() && per_step >= 0.0) {
                    err("legitimacy_schedule.per_step", format!("expected a number >= 0, found {per_step}"));
                }
                if !unit(floor) {
                    err("legitimacy_schedule.floor", format!("expected a number in [0, 1], found {floor}"));
                }
            }
            LegitimacySchedule::Sudden { to, .. } => {
                if !unit(to) {
                    err("legitimacy_schedule.to", format!("expected a number in [0, 1], found {to}"));
                }
            }
        }
        if let Some(g) = &self.groups {
            if !unit(g.first_group_share) {
                err("groups.first_group_share", format!("expected a number in [0, 1], found {}", g.first_group_share));
            }
            if !unit(g.clone_probability) {
                err("groups.clone_probability", format!("expected a number in [0, 1], found {}", g.clone_probability));
            }
            if g.max_age == 0 {
                err("groups.max_age", "expected at least 1 step".into());
            }
            if let Some(l) = g.legitimacy_by_group {
                if !l.iter().all(|&x| unit(x)) {
                    err("groups.legitimacy_by_group", format!("expected two numbers in [0, 1], found {l:?}"));
                }
            }
        }
        if self.epstein_model == 2 && self.groups.is_none() {
            err("epstein_model", "Model II needs a [groups] table".into());
        }
        if self.epstein_model == 1 && self.groups.is_some() {
            err("groups", "a [groups] table is only read by Model II (epstein_model = 2)".into());
        }
        errs
    }
}
