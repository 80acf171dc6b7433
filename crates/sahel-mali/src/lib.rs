//! The northern-Mali conflict model (work in progress: see docs/odd.md).
//!
//! Invariant: scenario events inject exogenous inputs (troops, money, relations,
//! the accord's signature, the coup's shock); outcomes — control, deaths,
//! displacement, compliance — come only from the mechanisms.

// Index loops over the structure-of-arrays columns (cells, actors, communities)
// read as the mechanisms' equations do; zipped iterators would hide the index.
#![allow(clippy::needless_range_loop)]

pub mod calendar;
pub mod geography;
pub mod mechanisms;
pub mod output;
pub mod patterns;
pub mod report;
pub mod scenario;
pub mod step;
pub mod world;
