//! M11 Communal violence in the centre (Epstein's Model II between groups).
//!
//! In the listed regions, each listed pair of communities competes for land and
//! pasture: both communities' hardship rises by `pasture_pressure` there (read by
//! M1). An active civilian kills, with probability `kill_per_week`, a random
//! civilian of a rival community in its own cell —
//! Epstein's Model II rule (an active agent kills a member of the other group
//! within its vision), with the cell as vision. Militias of the threatened
//! communities recruit through M3's home ties.
//!
//! Communal killing is armed (with `arms_persons` > 0): an active's rate is
//! `kill_per_week × P/(P + arms_persons)`, P the fighters within `reach_km` of
//! its cell of the armed groups (rebel, jihadist, militia) whose home
//! communities include its own. Groups that recruit in a community arm it and
//! play its quarrels (the brief: the jihadists "playing differences between
//! communities in their favor"; the Macina Liberation Front among the Peul
//! from 2015, Dogon self-defence militias from 2016; ICG Africa Report 238), so
//! the killing grows with the groups rooted in each community, not from 2012
//! at a constant rate. With `arms_persons` = 0 every active can kill: Model II.
//! `armed_by`, when not empty, narrows the arming groups to the actors it names
//! and the actors they merge into (the Macina Liberation Front, then JNIM).
//!
//! The week's victims are recorded by cell and community: with M2's
//! `blame_unprotected`, a community blames the holder of the cell where its
//! people were killed for failing to protect them.

use super::params::M11;
use crate::step::{kill, Cause, Killer, Scratch};
use crate::world::*;
use sahel_engine::Rng;

const STREAM: u64 = sahel_engine::rng::streams::MODEL + 85;

pub fn apply(w: &mut World, s: &mut Scratch, p: &M11) {
    s.cause = Cause::Communal;
    let nc = w.communities.len();
    let n = w.raster.len();
    let regions: Vec<usize> = p.regions.iter().filter_map(|r| w.raster.region_index(r)).collect();
    let pairs: Vec<(usize, usize)> = p
        .pairs
        .iter()
        .filter_map(|[a, b]| {
            Some((w.communities.iter().position(|c| c == a)?, w.communities.iter().position(|c| c == b)?))
        })
        .collect();
    let mut pasture = vec![0.0; n * nc];
    for c in 0..n {
        if regions.contains(&(w.raster.region[c] as usize)) {
            for &(a, b) in &pairs {
                pasture[c * nc + a] = p.pasture_pressure;
                pasture[c * nc + b] = p.pasture_pressure;
            }
        }
    }
    w.dyn_.pasture = pasture;
    // this week's victims, by cell and community (M2 reads them next week)
    let mut unprotected = vec![0.0; n * nc];
    // killings, in the cells of these regions where a paired community has actives
    let paired: Vec<bool> = (0..nc).map(|k| pairs.iter().any(|&(a, b)| a == k || b == k)).collect();
    let in_region: Vec<bool> = (0..n).map(|c| regions.contains(&(w.raster.region[c] as usize))).collect();
    let mut hot = vec![false; n];
    for i in 0..w.agents() {
        if w.state[i] == ACTIVE && paired[w.comm[i] as usize] && in_region[w.cell[i] as usize] {
            hot[w.cell[i] as usize] = true;
        }
    }
    let mut by_cell: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    for i in 0..w.agents() {
        if hot[w.cell[i] as usize] && matches!(w.state[i], QUIET | ACTIVE) {
            by_cell.entry(w.cell[i]).or_default().push(i as u32);
        }
    }
    // the actors that arm: those listed and the actors they merged into (all when none is listed)
    let mut arms = vec![p.armed_by.is_empty(); w.actors.len()];
    for (a, actor) in w.actors.iter().enumerate() {
        if p.armed_by.iter().any(|n| n == &actor.name) {
            let mut x = Some(a);
            while let Some(b) = x {
                arms[b] = true;
                x = w.actors[b].merged_into;
            }
        }
    }
    // how armed each community is near each cell: the force within reach of
    // the armed groups rooted in it, as P/(P + arms_persons); 1 with arming off
    let armed: Vec<Vec<f64>> = (0..nc)
        .map(|k| {
            if p.arms_persons <= 0.0 || !paired[k] {
                return Vec::new();
            }
            let mut rooted = vec![0.0; n];
            for (a, actor) in w.actors.iter().enumerate() {
                if arms[a] && actor.kind.armed_group() && actor.home[k] && w.malian_active(a) {
                    for (x, &f) in rooted.iter_mut().zip(&s.force[a]) {
                        *x += f;
                    }
                }
            }
            w.within_reach(&rooted, p.reach_km).into_iter().map(|x| x / (x + p.arms_persons)).collect()
        })
        .collect();
    let arming = |k: usize, c: usize| if armed[k].is_empty() { 1.0 } else { armed[k][c] };
    // each community's rivals
    let mut rivals: Vec<Vec<usize>> = vec![Vec::new(); nc];
    for &(x, y) in &pairs {
        rivals[x].push(y);
        rivals[y].push(x);
    }
    for (c, list) in by_cell {
        for from in 0..nc {
            if rivals[from].is_empty() {
                continue;
            }
            let killers: f64 = list
                .iter()
                .filter(|&&i| w.state[i as usize] == ACTIVE && w.comm[i as usize] as usize == from)
                .map(|&i| w.weight[i as usize])
                .sum();
            if killers <= 0.0 {
                continue;
            }
            let mut victims: Vec<u32> = list
                .iter()
                .copied()
                .filter(|&i| {
                    matches!(w.state[i as usize], QUIET | ACTIVE)
                        && rivals[from].contains(&(w.comm[i as usize] as usize))
                })
                .collect();
            let mut r = Rng::new(w.seed, w.step, STREAM, (c as u64) << 8 | from as u64);
            r.shuffle(&mut victims);
            s.by_shares(&[(Killer::Community(from as u16), 1.0)]);
            let wanted = killers * p.kill_per_week * arming(from, c as usize);
            // kill() takes the victims in order: only a prefix worth `wanted`
            // persons can lose any (one more, against rounding)
            let (mut touched, mut sum) = (0, 0.0);
            while touched < victims.len() && sum < wanted {
                sum += w.weight[victims[touched] as usize];
                touched += 1;
            }
            let touched = &victims[..(touched + 1).min(victims.len())];
            let before: Vec<f64> = touched.iter().map(|&i| w.weight[i as usize]).collect();
            let persons = kill(w, s, &victims, wanted, c, true);
            for (&i, b) in touched.iter().zip(before) {
                unprotected[c as usize * nc + w.comm[i as usize] as usize] += b - w.weight[i as usize];
            }
            // deaths are continuous: a week's killing is one event with probability
            // min(1, persons), so fractions of a death do not each make an event
            if persons > 0.0 && r.chance(persons.min(1.0)) {
                s.tallies.violent_events[w.raster.region[c as usize] as usize] += 1.0;
            }
        }
    }
    w.dyn_.unprotected = unprotected;
}
