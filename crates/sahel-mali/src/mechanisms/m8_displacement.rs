//! M8 Displacement, after the Flee model (Suleimenova, Bell & Groen 2017,
//! validated on Mali 2012; rules as in Flee 1.0's code).
//!
//! * Each cell remembers the deaths in it, decaying with e-folding time
//!   `memory_weeks`. A civilian at home in a cell with remembered deaths flees in
//!   a week with probability `min(1, flee_per_week × deaths per 1,000 people)` —
//!   linear, so the number who flee does not depend on how finely the deaths are
//!   spread over cells (nor on the people per agent);
//! * a cell just taken by an actor hostile to its previous holder (M4's
//!   upheaval, remembered like deaths) adds `takeover_flee_per_week × (1 −
//!   support of the civilian's community for the new holder)`: people flee the
//!   arrival of those they distrust before any death (the flight from the north
//!   in 2012; Flee's "conflict zones" are locations, not deaths);
//!   Flee's move chances (1.0 a day in a conflict zone) are what this weekly
//!   probability stands for, with the number who move emerging from the
//!   violence instead of being read from the data as Flee does.
//! * The destination is chosen as in Flee: among the towns and the refugee
//!   camps abroad within `abroad_within_km` of the cell (and `reach_km`), with
//!   probability proportional to the location's weight over its distance,
//!   weights 2 for a camp, 0.25 for a town in conflict (remembered deaths), 1
//!   otherwise. The one horizon for towns and camps stands for Flee's moves along
//!   routes to nearby locations (every town of Mali as an option would swamp the
//!   camps). Reaching a camp makes a refugee;
//!   reaching a town, an internally displaced person. A displaced person in a
//!   town in conflict moves on by the same rule and with the same probability
//!   as one fleeing its home there (Flee's agents move on from towns until they
//!   reach a camp); reaching a camp makes it a refugee.
//! * Flee has no return; here a displaced person goes home with probability
//!   `return_per_week × (1 − p)` (a refugee, `refugee_return_per_week × (1 − p)`:
//!   crossing back from a camp abroad is a larger step), `p` the probability of fleeing its
//!   home cell now (for its community): the calmer home has become, and the
//!   more trusted its holder, the likelier the return.

use super::params::M8;
use crate::step::Scratch;
use crate::world::*;
use sahel_engine::Rng;

const STREAM: u64 = sahel_engine::rng::streams::MODEL + 90;

/// Refugee camps abroad used in Flee's Mali 2012 case (lat, lon).
pub const CAMPS: &[(&str, f64, f64)] = &[
    ("Mbera (Mauritania)", 15.639, -5.751),
    ("Mentao (Burkina Faso)", 13.954, -1.674),
    ("Abala (Niger)", 14.950, 3.434),
    ("Mangaize (Niger)", 14.684, 1.954),
    ("Tabareybarey (Niger)", 14.779, 0.951),
];

pub const CAMP_WEIGHT: f64 = 2.0;
pub const CONFLICT_WEIGHT: f64 = 0.25;

/// Flee's route choice: index of the destination drawn with probability
/// proportional to `weight / distance` (distances floored at 1 km).
pub fn choose(options: &[(f64, f64)], u: f64) -> Option<usize> {
    let total: f64 = options.iter().map(|&(wt, d)| wt / d.max(1.0)).sum();
    if total <= 0.0 {
        return None;
    }
    let mut x = u * total;
    for (i, &(wt, d)) in options.iter().enumerate() {
        x -= wt / d.max(1.0);
        if x < 0.0 {
            return Some(i);
        }
    }
    Some(options.len() - 1)
}

/// The destinations open from one cell: (weight, distance) and the town (or
/// `None` for a camp abroad), in the same order.
#[derive(Clone, Default)]
struct Routes {
    options: Vec<(f64, f64)>,
    targets: Vec<Option<u32>>,
}

pub fn apply(w: &mut World, s: &Scratch, p: &M8) {
    let n = w.raster.len();
    let decay = if p.memory_weeks > 0.0 { (-1.0 / p.memory_weeks).exp() } else { 0.0 };
    for c in 0..n {
        w.dyn_.violence[c] = w.dyn_.violence[c] * decay + s.deaths_in[c];
    }
    let people: Vec<f64> = (0..n).map(|c| w.people(c)).collect();
    let per_1000 = |w: &World, c: usize| w.dyn_.violence[c] / (people[c] / 1000.0).max(1.0);
    let nc = w.communities.len();
    let na = w.actors.len();
    // the probability of fleeing home cell `c` for community `k` this week
    let p_flee = |w: &World, c: usize, k: usize| -> f64 {
        let deaths = p.flee_per_week * per_1000(w, c);
        let distrust = 1.0 - w.support[(c * nc + k) * na + w.controller[c] as usize] as f64;
        let takeover = p.takeover_flee_per_week * w.dyn_.upheaval[c].min(1.0) * distrust;
        (deaths + takeover).min(1.0)
    };
    let (seed, step) = (w.seed, w.step);
    let camps: Vec<(f64, f64)> = CAMPS.iter().map(|&(_, la, lo)| (la, lo)).collect();
    // Flee's route choice from cell `c`: towns and camps within the horizon,
    // with their weights and distances. They depend only on the cell (the
    // memory of violence is fixed for the week), so each cell's are built once,
    // when someone first leaves it.
    let horizon = p.abroad_within_km.min(p.reach_km);
    let routes_from = |w: &World, c: usize| -> Routes {
        let mut r = Routes::default();
        for &o in &w.dyn_.objectives {
            let d = w.raster.distance(c as u32, o);
            if o as usize != c && d <= horizon {
                let wt = if w.dyn_.violence[o as usize] > 0.0 { CONFLICT_WEIGHT } else { 1.0 };
                r.options.push((wt, d));
                r.targets.push(Some(o));
            }
        }
        for &(la, lo) in &camps {
            let d = w.raster.distance_to(c as u32, lo, la);
            if d <= horizon {
                r.options.push((CAMP_WEIGHT, d));
                r.targets.push(None);
            }
        }
        r
    };
    let mut routes: Vec<Option<Routes>> = vec![None; n];
    let mut destination = |w: &World, c: usize, u: f64| -> Option<Option<u32>> {
        let r = routes[c].get_or_insert_with(|| routes_from(w, c));
        choose(&r.options, u).map(|j| r.targets[j])
    };
    // a cell in conflict: remembered deaths or a recent hostile takeover
    let unsettled = |w: &World, c: usize| w.dyn_.violence[c] > 0.0 || w.dyn_.upheaval[c] > 0.0;
    for i in 0..w.agents() {
        let c = w.cell[i] as usize;
        match w.state[i] {
            QUIET | ACTIVE if w.cell[i] == w.home[i] && unsettled(w, c) => {
                let mut r = Rng::new(seed, step, STREAM, i as u64);
                if !r.chance(p_flee(w, c, w.comm[i] as usize)) {
                    continue;
                }
                match destination(w, c, r.uniform()) {
                    Some(Some(o)) => {
                        w.cell[i] = o;
                        w.state[i] = DISPLACED;
                    }
                    Some(None) => w.state[i] = REFUGEE,
                    None => {}
                }
            }
            DISPLACED | REFUGEE => {
                let h = w.home[i] as usize;
                let rate = if w.state[i] == REFUGEE { p.refugee_return_per_week } else { p.return_per_week };
                let p_back = rate * (1.0 - p_flee(w, h, w.comm[i] as usize));
                if Rng::new(seed, step, STREAM + 1, i as u64).chance(p_back) {
                    w.cell[i] = w.home[i];
                    w.state[i] = QUIET;
                } else if w.state[i] == DISPLACED && unsettled(w, c) {
                    // as in Flee, a town in conflict is a place to move on from, by the same rule
                    let mut r = Rng::new(seed, step, STREAM + 2, i as u64);
                    if r.chance(p_flee(w, c, w.comm[i] as usize)) {
                        match destination(w, c, r.uniform()) {
                            Some(Some(o)) => w.cell[i] = o,
                            Some(None) => w.state[i] = REFUGEE,
                            None => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for u in w.dyn_.upheaval.iter_mut() {
        *u *= decay;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Flee's route choice: a camp at 200 km (weight 2) against a calm town at
    /// 100 km (weight 1) and a town in conflict at 50 km (weight 0.25): scores
    /// 0.01, 0.01, 0.005, so probabilities 0.4, 0.4, 0.2. 100,000 draws; the
    /// standard error of a share is at most 0.0016, so ±0.01 is six of them.
    #[test]
    fn route_choice_is_weight_over_distance() {
        let options = [(CAMP_WEIGHT, 200.0), (1.0, 100.0), (CONFLICT_WEIGHT, 50.0)];
        let mut counts = [0u32; 3];
        for i in 0..100_000u64 {
            let u = Rng::new(1, 0, 1, i).uniform();
            counts[choose(&options, u).unwrap()] += 1;
        }
        let share = |k: usize| counts[k] as f64 / 100_000.0;
        assert!(
            (share(0) - 0.4).abs() < 0.01 && (share(1) - 0.4).abs() < 0.01 && (share(2) - 0.2).abs() < 0.01,
            "{counts:?}"
        );
    }

    #[test]
    fn no_option_no_move() {
        assert_eq!(choose(&[], 0.5), None);
    }
}
