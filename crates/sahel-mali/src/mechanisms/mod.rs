//! The mechanisms M1–M11 of the model, one module each (see docs/odd.md).

pub mod m10_strategy;
pub mod m11_communal;
pub mod m1_revolt;
pub mod m2_services;
pub mod m3_recruitment;
pub mod m4_control;
pub mod m5_combat;
pub mod m6_money;
pub mod m7_accord;
pub mod m8_displacement;
pub mod m9_alliances;
pub mod params;

pub use params::Params;
