//! M4 Control and collaboration (Kalyvas 2006; Athena's influence and control).
//!
//! * Where armed forces stand, control follows force and support: each force
//!   counts times its actor's fighting capacity (the coup's shock) and times
//!   (½ + the mean support of the cell's people for its actor); the
//!   holder keeps a cell unless a hostile Malian actor's side there exceeds the
//!   holder's side (the holder, its allies and foreign forces allied to it) by
//!   `takeover_ratio`; a foreign force hostile to the holder takes the cell for
//!   the Malian state it is allied with (Serval retook the towns for Mali), never
//!   for itself;
//!   a side with no force left loses the cell to any hostile force present.
//! * The rest of the land follows the nearest armed presence within `reach_km`
//!   (a multi-source breadth-first search over the raster; ties go to the source
//!   found first, in cell order); beyond reach, control stays as it was.
//! * An armed cell taken by an actor hostile to its previous holder is
//!   remembered as an upheaval, which M8 reads (people flee a newcomer they
//!   distrust). Its size is the armed persons of the side that took the cell
//!   over `upheaval_persons`, at most 1: a column of a hundred is a full
//!   upheaval, a patrol of twenty-five a quarter of one, so the flight does not
//!   depend on how finely the force is split into agents. Land that only
//!   follows the nearest armed presence does not count: a line on the map
//!   moving is not an armed group arriving.
//! * Each actor's defeat this week, which M3 reads: the towns (objectives) it
//!   held that hostile actors took, less those it took from hostile actors,
//!   as a share of the towns it held (0 when it gained as many as it lost).
//! * Civilians collaborate with whoever holds their cell (M2 credits or blames the
//!   holder for services). Selective violence concentrates where control is
//!   dominant but contested: where the holder's side has between half and nine
//!   tenths of the force present, it kills `selective_per_week` of the active
//!   civilians' persons a week (the victims drawn at random).

use super::params::M4;
use crate::scenario::{Kind, Stance};
use crate::step::{kill, Cause, Scratch};
use crate::world::*;
use sahel_engine::Rng;
use std::collections::VecDeque;

const STREAM: u64 = sahel_engine::rng::streams::MODEL + 70;

pub fn apply(w: &mut World, s: &mut Scratch, p: &M4) {
    s.cause = Cause::Selective;
    let na = w.actors.len();
    let n = w.raster.len();
    let before = w.controller.clone();
    // force weighted by the support of the cell's people: (½ + mean support)
    let backing = |w: &World, b: usize, c: usize| -> f64 { w.mean_support(c, b).map_or(1.0, |s| 0.5 + s) };
    // `h`'s side: `h` and the actors allied to it
    let on_side = |w: &World, h: usize, b: usize| b == h || w.stance[h][b] == Stance::Allied;
    let side_force = |w: &World, force: &[Vec<f64>], h: usize, c: usize| -> f64 {
        (0..na)
            .filter(|&b| on_side(w, h, b) && force[b][c] > 0.0)
            .map(|b| force[b][c] * w.actors[b].capacity * backing(w, b, c))
            .sum()
    };
    // a foreign force takes a cell for the Malian state it backs, never for itself
    let state = w.state_actor();
    let state_active = w.actors[state].active(w.today());
    let mut armed = vec![false; n];
    // armed persons of the side that took each cell this week (0 where none did)
    let mut taker = vec![0.0f64; n];
    for c in 0..n {
        let total: f64 = (0..na).map(|a| s.force[a][c]).sum();
        if total <= 0.0 {
            continue;
        }
        armed[c] = true;
        let h = w.controller[c] as usize;
        let holder = side_force(w, &s.force, h, c);
        // the strongest hostile challenger, and whom it takes the cell for
        let client = |x: usize| -> Option<usize> {
            if w.actors[x].kind == Kind::Foreign {
                (state_active && w.stance[x][state] == Stance::Allied).then_some(state)
            } else {
                Some(x)
            }
        };
        let challenger = (0..na)
            .filter(|&x| w.hostile(h, x) && s.force[x][c] > 0.0 && client(x).is_some())
            .max_by(|&x, &y| s.force[x][c].partial_cmp(&s.force[y][c]).expect("finite").then(y.cmp(&x)));
        if let Some(x) = challenger {
            let their = side_force(w, &s.force, x, c);
            if their > p.takeover_ratio * holder || holder <= 0.0 {
                w.controller[c] = client(x).expect("filtered") as u8;
                taker[c] = (0..na).filter(|&b| on_side(w, x, b)).map(|b| s.force[b][c]).sum();
            }
        } else if holder <= 0.0 || !w.actors[h].active(w.today()) {
            // the holder has gone (or merged): the largest Malian force present takes over
            if let Some(x) = (0..na)
                .filter(|&x| w.actors[x].kind != Kind::Foreign && s.force[x][c] > 0.0)
                .max_by(|&x, &y| s.force[x][c].partial_cmp(&s.force[y][c]).expect("finite").then(y.cmp(&x)))
            {
                w.controller[c] = x as u8;
                taker[c] = s.force[x][c];
            }
        }
    }
    // merged actors' land passes to their successor
    for c in 0..n {
        let mut h = w.controller[c] as usize;
        while let Some(t) = w.actors[h].merged_into {
            h = t;
        }
        w.controller[c] = h as u8;
    }
    // unarmed land follows the nearest armed presence within reach
    let hops = (p.reach_km / (w.raster.cell_deg * 111.195)).floor() as u32;
    let mut dist = vec![u32::MAX; n];
    let mut q = VecDeque::new();
    for c in 0..n {
        if armed[c] {
            dist[c] = 0;
            q.push_back(c as u32);
        }
    }
    while let Some(c) = q.pop_front() {
        let d = dist[c as usize];
        if d >= hops {
            continue;
        }
        for &nb in w.raster.neighbours(c) {
            if dist[nb as usize] == u32::MAX {
                dist[nb as usize] = d + 1;
                w.controller[nb as usize] = w.controller[c as usize];
                q.push_back(nb);
            }
        }
    }
    // each actor's defeat: the towns it held that hostile actors took, net of
    // those it took from them, as a share of the towns it held (M3)
    let mut held = vec![0.0; na];
    let mut lost = vec![0.0f64; na];
    for &o in &w.dyn_.objectives {
        let (old, new) = (before[o as usize] as usize, w.controller[o as usize] as usize);
        held[old] += 1.0;
        if old != new && w.stance[old][new] == Stance::Hostile {
            lost[old] += 1.0;
            lost[new] -= 1.0;
        }
    }
    for a in 0..na {
        w.dyn_.defeat[a] = if held[a] > 0.0 { lost[a].max(0.0) / held[a] } else { 0.0 };
    }
    // hostile takeovers of armed cells, remembered for M8 (people flee a newcomer they distrust)
    for c in 0..n {
        let (old, new) = (before[c] as usize, w.controller[c] as usize);
        if armed[c] && old != new && w.stance[old][new] == Stance::Hostile {
            w.dyn_.upheaval[c] += (taker[c] / p.upheaval_persons).min(1.0);
        }
    }
    // selective violence where control is dominant but contested
    let mut actives_by_cell: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    for i in 0..w.agents() {
        if w.state[i] == ACTIVE {
            actives_by_cell.entry(w.cell[i]).or_default().push(i as u32);
        }
    }
    for (c, list) in actives_by_cell {
        let cu = c as usize;
        let total: f64 = (0..na).map(|a| s.force[a][cu]).sum();
        if total <= 0.0 {
            continue;
        }
        let h = w.controller[cu] as usize;
        let weighted: f64 = (0..na)
            .filter(|&b| s.force[b][cu] > 0.0)
            .map(|b| s.force[b][cu] * w.actors[b].capacity * backing(w, b, cu))
            .sum();
        let share = side_force(w, &s.force, h, cu) / weighted;
        if !(0.5..0.9).contains(&share) {
            continue;
        }
        let mut list = list;
        let actives: f64 = list.iter().map(|&i| w.weight[i as usize]).sum();
        Rng::new(w.seed, w.step, STREAM, c as u64).shuffle(&mut list);
        s.by(h);
        let persons = kill(w, s, &list, actives * p.selective_per_week, c, true);
        if persons > 0.0 {
            s.harm[h][cu] += persons;
            // one event with probability min(1, persons): deaths are continuous
            if Rng::new(w.seed, w.step, STREAM + 1, c as u64).chance(persons.min(1.0)) {
                s.tallies.violent_events[w.raster.region[cu] as usize] += 1.0;
            }
        }
    }
}
