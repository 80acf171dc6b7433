//! The `sahel` engine: what every model needs and nothing about any one model.
//!
//! * [`space`]: grids (torus or bounded), neighbourhoods, row prefix sums;
//! * [`occupancy`]: per-cell agent lists threaded through agent arrays;
//! * [`rng`]: counter-based random streams keyed by (seed, step, stream, entity, draw);
//! * [`schedule`]: the `sequential` and `parallel` schedulers' shared pieces and
//!   deterministic reductions.
//!
//! Invariant: the engine knows nothing of Epstein, Mali or any other model.

pub mod occupancy;
pub mod rng;
pub mod schedule;
pub mod space;

pub use occupancy::CellLists;
pub use rng::Rng;
pub use schedule::Scheduler;
pub use space::{Grid, Neighbourhood, RowPrefix, Shape};
