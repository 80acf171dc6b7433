//! The northern-Mali conflict model (work in progress: see docs/odd.md).
//!
//! Invariant: scenario events inject exogenous inputs (troops, money, relations,
//! the accord's signature, the coup's shock); outcomes — control, deaths,
//! displacement, compliance — come only from the mechanisms.

pub mod calendar;
pub mod geography;
pub mod mechanisms;
pub mod output;
pub mod patterns;
pub mod report;
pub mod scenario;
pub mod step;
pub mod world;
