//! M9 Alliances and splits.
//!
//! Relations change by the scenario's dated events (the MNLA with the jihadists
//! in April 2012 and against them from June 2012; mergers such as JNIM's in 2017),
//! applied in `step.rs` as exogenous inputs. Where the scenario allows it
//! (`endogenous = true`), relations also change by one rule, "the enemy of my
//! enemy": two non-state Malian armed actors that are neutral to each other and
//! both hostile to a third actor stronger than either of them become allied.
//! Splits come only from events.

use super::params::M9;
use crate::scenario::{Kind, Stance};
use crate::world::*;

pub fn apply(w: &mut World, force: &[Vec<f64>], p: &M9) {
    if !p.endogenous {
        return;
    }
    let na = w.actors.len();
    let total: Vec<f64> = force.iter().map(|f| f.iter().sum()).collect();
    let malian: Vec<bool> = (0..na).map(|a| w.malian_active(a) && w.actors[a].kind != Kind::State).collect();
    let mut changes = Vec::new();
    for a in 0..na {
        for b in a + 1..na {
            if !malian[a] || !malian[b] || w.stance[a][b] != Stance::Neutral {
                continue;
            }
            let common = (0..na).any(|x| w.hostile(a, x) && w.hostile(b, x) && total[x] > total[a].max(total[b]));
            if common {
                changes.push((a, b));
            }
        }
    }
    for (a, b) in changes {
        w.stance[a][b] = Stance::Allied;
        w.stance[b][a] = Stance::Allied;
    }
    if !w.dyn_.hostile.is_empty() {
        w.refresh_hostility();
    }
}
