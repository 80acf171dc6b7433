//! Every mechanism's parameters, as a scenario's `[mechanisms.*]` tables. Each
//! table carries its `source` or `assumed` text; rates state their time unit in
//! their name (`_per_week`, `_per_day`) and are converted once, by the clock.

use super::m1_revolt::ArrestRule;
use super::m7_accord::Strategy;
use crate::scenario::ScenarioError;
use serde::{Deserialize, Serialize};

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub m1_revolt: M1,
    pub m2_services: M2,
    pub m5_combat: M5,
    pub m7_accord: M7,
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
    /// Chance of finding an irregular force with no help from civilians.
    pub base_detection: f64,
    /// Civilian deaths per missed shot among civilians.
    pub lethality: f64,
    /// Days of fighting in a week where hostile forces share a cell.
    pub engagement_days_per_week: u32,
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
        let mut unit = |key: &str, v: f64| {
            if !(0.0..=1.0).contains(&v) {
                errs.push(ScenarioError {
                    key: format!("mechanisms.{key}"),
                    message: format!("expected a number in [0, 1], found {v}"),
                });
            }
        };
        unit("m1_revolt.threshold", self.m1_revolt.threshold);
        unit("m1_revolt.enter_per_week", self.m1_revolt.enter_per_week);
        unit("m1_revolt.exit_per_week", self.m1_revolt.exit_per_week);
        unit("m2_services.fall_per_week", self.m2_services.fall_per_week);
        unit("m2_services.rise_per_week", self.m2_services.rise_per_week);
        unit("m2_services.adaptation_per_week", self.m2_services.adaptation_per_week);
        unit("m2_services.initial_expectation", self.m2_services.initial_expectation);
        unit("m5_combat.malian_accuracy", self.m5_combat.malian_accuracy);
        unit("m5_combat.foreign_accuracy", self.m5_combat.foreign_accuracy);
        unit("m5_combat.base_detection", self.m5_combat.base_detection);
        unit("m7_accord.forgiveness", self.m7_accord.forgiveness);
        unit("m7_accord.execution_noise", self.m7_accord.execution_noise);
        unit("m7_accord.misread_cooperation", self.m7_accord.misread_cooperation);
        unit("m7_accord.misread_defection", self.m7_accord.misread_defection);
        let mut nonneg = |key: &str, v: f64| {
            if !(v.is_finite() && v >= 0.0) {
                errs.push(ScenarioError {
                    key: format!("mechanisms.{key}"),
                    message: format!("expected a number >= 0, found {v}"),
                });
            }
        };
        nonneg("m1_revolt.k", self.m1_revolt.k);
        nonneg("m1_revolt.sight_km", self.m1_revolt.sight_km);
        nonneg("m5_combat.conventional_effectiveness_per_day", self.m5_combat.conventional_effectiveness_per_day);
        nonneg("m5_combat.irregular_effectiveness_per_day", self.m5_combat.irregular_effectiveness_per_day);
        nonneg("m5_combat.lethality", self.m5_combat.lethality);
        nonneg("m7_accord.progress_per_round", self.m7_accord.progress_per_round);
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
