//! M1 Grievance and revolt (Epstein 2002, Model I).
//!
//! A civilian's grievance is `G = H·(1 − L)`, `H` its hardship and `L` the
//! legitimacy of the state in the eyes of its community in its cell (M2). Its net
//! risk is `N = R·P`, `R` its risk aversion and `P = 1 − exp(−k·C/A)` its estimated
//! arrest probability, `C` the state side's forces and `A` one plus the active
//! persons within sight (both in persons). It *wants* to be active iff
//! `G − N > T` — Epstein's rule A, the very function the Epstein models run
//! (`sahel_epstein::rules`), so their replication tests are this rule's anchor.
//!
//! Unlike Epstein's per-tick flicker, being active is a persistent state: a quiet
//! civilian who wants to be active becomes active with probability `enter` per
//! step, an active one who no longer wants to be leaves with probability `exit`.
//! With `enter = exit = 1` this is Epstein's rule exactly. `k`, `T` and the sight
//! radius are not Epstein's per-tick constants here: they are `assumed` or
//! calibrated.

pub use sahel_epstein::params::ArrestRule;
use sahel_epstein::rules;

/// Whether a civilian wants to be active (Epstein's rule A).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub fn wants_active(
    hardship: f64,
    legitimacy: f64,
    risk_aversion: f64,
    state_forces: f64,
    actives: f64,
    k: f64,
    threshold: f64,
    rule: ArrestRule,
) -> bool {
    let p = rules::arrest_probability(rule, k, state_forces, actives + 1.0);
    rules::wants_active(hardship, legitimacy, risk_aversion, p, threshold)
}

/// The next state of one civilian: persistence with entry and exit
/// probabilities per step; `u` is a uniform draw.
#[inline(always)]
pub fn next_active(active: bool, wants: bool, u: f64, enter: f64, exit: f64) -> bool {
    match (active, wants) {
        (false, true) => u < enter,
        (true, false) => u >= exit,
        (a, _) => a,
    }
}

use super::params::M1;
use crate::step::Scratch;
use crate::world::*;
use rayon::prelude::*;

const STREAM: u64 = sahel_engine::rng::streams::MODEL + 75;

/// Every civilian at home or displaced decides whether to be active, in
/// parallel, from per-cell counts of the state side's forces and of active
/// persons within sight. Hardship includes the pasture competition of M11 and
/// the accord's development fund (M7).
pub fn apply(w: &mut World, s: &Scratch, p: &M1) {
    let (n, na, nc) = (w.raster.len(), w.actors.len(), w.communities.len());
    let state_side: Vec<usize> = (0..na).filter(|&a| w.state_side(a)).collect();
    let mut cops = vec![0.0; n];
    let mut act = vec![0.0; n];
    for c in 0..n {
        cops[c] = state_side.iter().map(|&a| s.force[a][c]).sum();
    }
    for i in 0..w.agents() {
        if w.state[i] == ACTIVE {
            act[w.cell[i] as usize] += w.weight[i];
        }
    }
    let seen: Vec<(f64, f64)> = (0..n)
        .map(|c| w.dyn_.sight[c].iter().fold((0.0, 0.0), |(x, y), &o| (x + cops[o as usize], y + act[o as usize])))
        .collect();
    let state = w.state_actor();
    let dev = w.accord_effect(crate::scenario::Effect::Development) * (1.0 - w.sc.mechanisms.m6_money.elite_capture);
    let pressure = &w.dyn_.pasture;
    let (seed, step) = (w.seed, w.step);
    let new: Vec<u8> = (0..w.agents())
        .into_par_iter()
        .with_min_len(4096)
        .map(|i| {
            let st = w.state[i];
            if st != QUIET && st != ACTIVE {
                return st;
            }
            let c = w.cell[i] as usize;
            let k = w.comm[i] as usize;
            let mut h = w.hardship[i] as f64 + pressure.get(c * nc + k).copied().unwrap_or(0.0);
            if w.dyn_.north[c] {
                h *= 1.0 - 0.3 * dev;
            }
            let l = w.support[(c * nc + k) * na + state] as f64;
            let wants =
                wants_active(h.min(1.0), l, w.risk[i] as f64, seen[c].0, seen[c].1, p.k, p.threshold, p.arrest_rule);
            let u = sahel_engine::Rng::new(seed, step, STREAM, i as u64).uniform();
            if next_active(st == ACTIVE, wants, u, p.enter_per_week, p.exit_per_week) {
                ACTIVE
            } else {
                QUIET
            }
        })
        .collect();
    w.state = new;
}

#[cfg(test)]
mod tests {
    use super::*;
    use sahel_engine::Rng;

    /// With instant rates M1 is Epstein's rule A, whatever the inputs.
    #[test]
    fn instant_rates_reduce_to_epsteins_rule() {
        let mut r = Rng::new(1, 0, 1, 0);
        for _ in 0..10_000 {
            let (h, l, ra) = (r.uniform(), r.uniform(), r.uniform());
            let (c, a) = (r.below(20) as f64, r.below(20) as f64);
            let wants = wants_active(h, l, ra, c, a, 2.3, 0.1, ArrestRule::Floor);
            let p = 1.0 - (-2.3f64 * (c / (a + 1.0)).floor()).exp();
            assert_eq!(wants, h * (1.0 - l) - ra * p > 0.1);
            for was in [false, true] {
                assert_eq!(next_active(was, wants, r.uniform(), 1.0, 1.0), wants);
            }
        }
    }

    /// Persistence: a civilian who stops wanting stays active for a geometric
    /// number of steps with mean 1/exit. 100,000 spells at exit = 0.1: mean 10,
    /// standard error 0.03; ±0.2 is over 6 standard errors.
    #[test]
    fn spells_last_one_over_the_exit_rate() {
        let mut total = 0u64;
        let n = 100_000u64;
        for i in 0..n {
            let mut r = Rng::new(2, 0, 1, i);
            let mut weeks = 0;
            let mut active = true;
            while active {
                weeks += 1;
                active = next_active(true, false, r.uniform(), 0.5, 0.1);
            }
            total += weeks;
        }
        let mean = total as f64 / n as f64;
        assert!((mean - 10.0).abs() < 0.2, "{mean}");
    }

    #[test]
    fn more_state_forces_deter_more() {
        let base = wants_active(0.9, 0.3, 0.9, 0.0, 0.0, 2.3, 0.1, ArrestRule::Exact);
        let deterred = wants_active(0.9, 0.3, 0.9, 50.0, 0.0, 2.3, 0.1, ArrestRule::Exact);
        assert!(base && !deterred);
        // safety in numbers: the same forces deter less against many actives
        assert!(wants_active(0.9, 0.3, 0.9, 50.0, 500.0, 2.3, 0.1, ArrestRule::Exact));
    }
}
