//! Schedulers and deterministic parallel helpers.
//!
//! * `sequential`: one thread; agents are activated one at a time in a fresh random
//!   order each step and each sees the effects of those before it (Epstein's
//!   Ascape model, NetLogo's `ask`, Mesa's `shuffle_do`). The reference for every
//!   replication claim.
//! * `parallel`: a synchronous schedule. Each phase of a step reads a snapshot of
//!   the state at the phase's start and writes per-agent decisions; conflicts
//!   (two agents claiming one thing) are resolved by a random priority that is a
//!   function of `(seed, step, agent)` alone. Hence bit-identical results for any
//!   number of threads.

use crate::rng::{self, Rng};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scheduler {
    #[default]
    Sequential,
    Parallel,
}

impl Scheduler {
    pub fn name(self) -> &'static str {
        match self {
            Scheduler::Sequential => "sequential",
            Scheduler::Parallel => "parallel",
        }
    }
}

impl std::str::FromStr for Scheduler {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "sequential" => Ok(Scheduler::Sequential),
            "parallel" => Ok(Scheduler::Parallel),
            _ => Err(format!("expected `sequential` or `parallel`, found `{s}`")),
        }
    }
}

/// The random activation order of `n` agents at `step` (a permutation of `0..n`).
pub fn activation_order(seed: u64, step: u64, n: usize) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    Rng::new(seed, step, rng::streams::ACTIVATION, 0).shuffle(&mut order);
    order
}

/// The tie-breaking priority of `agent` at `step` for claim kind `phase`: lower
/// wins. Unique per agent (the id fills the low bits), so there are no ties.
#[inline(always)]
pub fn priority(seed: u64, step: u64, phase: u64, agent: u32) -> u64 {
    (Rng::new(seed, step, rng::streams::PRIORITY + (phase << 8), agent as u64).at(0) & !0xFFFF_FFFF) | agent as u64
}

/// Size of the fixed chunks in which floating-point reductions are made. Partial
/// sums are combined in chunk order, never in the order threads finish.
pub const REDUCE_CHUNK: usize = 4096;

/// A sum of `f(i)` for `i in 0..n` that is bit-identical for any thread count.
pub fn det_sum<F>(n: usize, f: F) -> f64
where
    F: Fn(usize) -> f64 + Sync,
{
    use rayon::prelude::*;
    let chunks = n.div_ceil(REDUCE_CHUNK);
    let partial: Vec<f64> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut s = 0.0;
            for i in c * REDUCE_CHUNK..((c + 1) * REDUCE_CHUNK).min(n) {
                s += f(i);
            }
            s
        })
        .collect();
    partial.iter().sum()
}

/// Run `f` on a rayon pool of exactly `threads` threads.
pub fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build().expect("building the thread pool").install(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn det_sum_ignores_thread_count() {
        let f = |i: usize| ((i as f64) * 0.1).sin() * 1e-3 + 1e7 / (i as f64 + 1.0);
        let a = with_threads(1, || det_sum(100_000, f));
        let b = with_threads(3, || det_sum(100_000, f));
        let c = with_threads(16, || det_sum(100_000, f));
        assert_eq!(a.to_bits(), b.to_bits());
        assert_eq!(a.to_bits(), c.to_bits());
    }

    #[test]
    fn activation_order_is_a_fresh_permutation_each_step() {
        let a = activation_order(1, 1, 100);
        let b = activation_order(1, 2, 100);
        assert_ne!(a, b);
        let mut s = a.clone();
        s.sort();
        assert_eq!(s, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn priorities_are_unique() {
        let mut p: Vec<u64> = (0..10_000).map(|a| priority(3, 4, 1, a)).collect();
        p.sort();
        p.dedup();
        assert_eq!(p.len(), 10_000);
    }
}
