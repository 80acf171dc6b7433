//! Epstein's rule A as pure functions, shared by this crate's `World` and by any
//! model that uses Epstein's revolt mechanism (the Mali model's M1).

use crate::params::ArrestRule;

/// `f(C/A)` of the arrest-probability formula; `actives_plus_one` is `A` (the
/// actives in sight plus the agent itself, ≥ 1).
#[inline(always)]
pub fn arrest_ratio(rule: ArrestRule, cops: f64, actives_plus_one: f64) -> f64 {
    let x = cops / actives_plus_one;
    match rule {
        ArrestRule::Exact => x,
        ArrestRule::Floor => x.floor(),
        ArrestRule::Round => x.round_ties_even(),
    }
}

/// Estimated arrest probability `P = 1 − exp(−k·f(C/A))`.
#[inline(always)]
pub fn arrest_probability(rule: ArrestRule, k: f64, cops: f64, actives_plus_one: f64) -> f64 {
    1.0 - (-k * arrest_ratio(rule, cops, actives_plus_one)).exp()
}

/// Rule A: active iff `G − R·P > T`, with `G = H·(1 − L)`.
#[inline(always)]
pub fn wants_active(hardship: f64, legitimacy: f64, risk_aversion: f64, p: f64, threshold: f64) -> bool {
    hardship * (1.0 - legitimacy) - risk_aversion * p > threshold
}
