//! The mechanisms M1–M11 of the model, one module each (see docs/odd.md).

pub mod m1_revolt;
pub mod m2_services;
pub mod m5_combat;
pub mod m7_accord;
pub mod params;

pub use params::Params;
