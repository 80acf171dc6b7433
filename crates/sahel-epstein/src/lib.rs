//! Epstein's civil-violence models on the sahel engine.
//!
//! * Model I (civil violence against a central authority) and Model II
//!   (inter-group violence with optional peacekeepers), Epstein (2002), PNAS 99
//!   suppl. 3, 7243–7250.
//! * Three rule sets ([`Variant`]): the paper's, NetLogo's "Rebellion" and Mesa
//!   3.5.1's example; every difference between them is a switch ([`params::Switches`]).
//! * Two schedulers: [`sequential`] (the replication reference) and [`parallel`]
//!   (synchronous, bit-identical for any thread count).
//!
//! This crate knows nothing of files or command lines: the CLI parses scenarios
//! into [`Params`] and calls [`run`].

pub mod model;
pub(crate) mod parallel;
pub mod params;
pub mod rules;
pub mod scenarios;
pub(crate) mod sequential;
pub mod stats;

pub use model::{Counts, World};
pub use params::{Params, Variant};

/// The per-step record of a run.
#[derive(Clone, Debug, Default)]
pub struct Series {
    pub model2: bool,
    /// Agents at the start (cops and citizens).
    pub agents: usize,
    pub rows: Vec<(u64, f64, Counts)>,
}

impl Series {
    /// Column names, beginning with the contract `step,quiet,active,jailed`.
    pub fn header(&self) -> Vec<&'static str> {
        let mut h = vec!["step", "quiet", "active", "jailed", "cops", "legitimacy"];
        if self.model2 {
            h.extend(["alive_0", "alive_1", "active_0", "active_1", "killed", "born", "died_old"]);
        }
        h
    }

    /// The series as CSV text.
    pub fn to_csv(&self) -> String {
        let mut out = self.header().join(",");
        out.push('\n');
        for (step, legit, c) in &self.rows {
            out.push_str(&format!("{step},{},{},{},{},{legit}", c.quiet, c.active, c.jailed, c.cops));
            if self.model2 {
                out.push_str(&format!(
                    ",{},{},{},{},{},{},{}",
                    c.alive[0], c.alive[1], c.active_by_group[0], c.active_by_group[1], c.killed, c.born, c.died_old
                ));
            }
            out.push('\n');
        }
        out
    }

    pub fn active(&self) -> Vec<u64> {
        self.rows.iter().map(|r| r.2.active).collect()
    }
}

/// Run `params` for `steps` steps from `seed` on the current rayon pool, calling
/// `progress` after each step. Step 0 (the initial state) is recorded.
pub fn run(params: &Params, seed: u64, steps: u64, mut progress: impl FnMut(u64)) -> Series {
    let mut w = World::new(params.clone(), seed);
    let mut s =
        Series { model2: params.epstein_model == 2, agents: w.agents(), rows: Vec::with_capacity(steps as usize + 1) };
    s.rows.push((0, params.legitimacy_at(0, 0), w.counts()));
    for _ in 0..steps {
        w.step();
        s.rows.push((w.step, params.legitimacy_at(w.step, 0), w.counts()));
        progress(w.step);
    }
    s
}
