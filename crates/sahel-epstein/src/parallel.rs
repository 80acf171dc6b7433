//! The `parallel` scheduler: a step is split into `batches` random batches of
//! agents (a fresh random partition each step, from `(seed, step, agent)`); the
//! batches run one after the other, and within a batch each phase is computed for
//! all its agents at once from a snapshot of the state at the phase's start, then
//! applied. With one batch this is a fully synchronous update; with many it
//! approaches the random sequential order of Epstein's model (each batch sees what
//! earlier batches did), which is what lets it agree statistically with
//! `sequential` while keeping thousands of agents per parallel phase at scale.
//!
//! Phases, in the variant's order (`move_then_act`: move, decide, enforce;
//! `act_then_move`: decide, enforce, move):
//! * **move**: every agent that may move picks a random empty cell within vision,
//!   as seen in the snapshot. Where several pick the same cell, the one with the
//!   lowest priority (a random key of `(seed, step, agent)`) gets it; the others
//!   stay put.
//! * **decide**: every free citizen chooses active or quiet from the cops and
//!   actives around it in the snapshot (counted with row prefix sums). In Model II
//!   each citizen who is now active then picks a victim of the other group within
//!   vision; a victim picked by several goes to the lowest priority.
//! * **enforce**: every cop picks a random active within vision; a suspect picked
//!   by several cops goes to the lowest-priority cop, and the others pick again
//!   among the actives left (up to [`ARREST_ROUNDS`] rounds).
//!
//! Decisions are computed in parallel into per-agent slots, conflicts resolved by
//! priorities and applications made in agent-id order, so the result is the same
//! for any number of threads.

use crate::model::*;
use crate::params::{JailCountdown, Order};
use rayon::prelude::*;
use sahel_engine::occupancy::NONE;
use sahel_engine::schedule::priority;
use sahel_engine::{Rng, RowPrefix};
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, Ordering::Relaxed};

// The per-cell counts and positions are updated from several threads at once
// through atomic views of the plain arrays (integer additions commute, so the
// result does not depend on the order). The views need equal layouts.
const _: () = assert!(std::mem::align_of::<AtomicU16>() == std::mem::align_of::<u16>());
const _: () = assert!(std::mem::align_of::<AtomicU32>() == std::mem::align_of::<u32>());

fn atomic16(v: &mut [u16]) -> &[AtomicU16] {
    // SAFETY: same size, alignment and bit validity (asserted above); the exclusive
    // borrow guarantees no non-atomic access while the view lives.
    unsafe { &*(v as *mut [u16] as *const [AtomicU16]) }
}

fn atomic32(v: &mut [u32]) -> &[AtomicU32] {
    // SAFETY: as for `atomic16`.
    unsafe { &*(v as *mut [u32] as *const [AtomicU32]) }
}

/// The agents for which `keep` holds, by group, as `(cell, agent)` pairs sorted:
/// the index `World::pick_in_vision` reads where the world keeps no cell lists.
fn index_by_cell(w: &World, keep: impl Fn(usize) -> bool + Sync) -> [Vec<(u32, u32)>; 2] {
    let mut out: [Vec<(u32, u32)>; 2] = [Vec::new(), Vec::new()];
    for (g, v) in out.iter_mut().enumerate() {
        *v = (0..w.agents())
            .into_par_iter()
            .with_min_len(4096)
            .filter(|&a| w.group[a] as usize == g && keep(a))
            .map(|a| (w.pos[a], a as u32))
            .collect();
        v.par_sort_unstable();
    }
    out
}

/// Move each `(agent, cell)` in parallel; target cells are distinct and were empty.
fn relocate_all(w: &mut World, moves: &[(u32, u32)]) {
    debug_assert!(w.lists.is_none() && w.window.is_none());
    let (kind, state, group) = (&w.kind, &w.state, &w.group);
    let pos = atomic32(&mut w.pos);
    let n_free = atomic16(&mut w.n_free);
    let n_all = atomic16(&mut w.n_all);
    let n_cop = atomic16(&mut w.n_cop);
    let [a0, a1] = &mut w.n_active;
    let n_active = [atomic16(a0), atomic16(a1)];
    let [m0, m1] = &mut w.n_member;
    let n_member = [atomic16(m0), atomic16(m1)];
    let model2 = w.model2;
    moves.par_iter().with_min_len(1024).for_each(|&(a, to)| {
        let ai = a as usize;
        let from = pos[ai].swap(to, Relaxed) as usize;
        let to = to as usize;
        let move_one = |v: &[AtomicU16]| {
            v[from].fetch_sub(1, Relaxed);
            v[to].fetch_add(1, Relaxed);
        };
        move_one(n_all);
        let st = state[ai];
        if kind[ai] == COP {
            move_one(n_free);
            move_one(n_cop);
        } else if st <= ACTIVE {
            let g = group[ai] as usize;
            move_one(n_free);
            if st == ACTIVE {
                move_one(n_active[g]);
            }
            if model2 {
                move_one(n_member[g]);
            }
        }
    });
}

const PHASE_BATCH: u64 = 4;
/// Rounds in which cops that lost a suspect to another cop pick again.
pub const ARREST_ROUNDS: u64 = 4;
/// Rounds in which movers that lost a cell to another mover pick again.
pub const MOVE_ROUNDS: u64 = 2;
const PHASE_KILL: u64 = 2;
const PHASE_ARREST: u64 = 3;

/// Buffers kept between steps.
#[derive(Default)]
pub(crate) struct Scratch {
    claims: Vec<AtomicU64>,
    prefix: Option<RowPrefix>,
}

pub(crate) fn step(w: &mut World) {
    let t = w.step;
    let mut scratch = w.scratch.take().unwrap_or_default();
    if scratch.claims.len() != w.grid.len() {
        scratch.claims = (0..w.grid.len()).map(|_| AtomicU64::new(u64::MAX)).collect();
    }
    // Mesa's countdown: a jailed agent whose term is served acts this step; the
    // others count down and sit it out.
    let mut released = Vec::new();
    if w.rules.jail_countdown == JailCountdown::OwnStep {
        for a in 0..w.agents() {
            if w.state[a] == JAILED {
                if w.jail[a] == 0 {
                    released.push(a as u32);
                } else if w.jail[a] != LIFE {
                    w.jail[a] -= 1;
                }
            }
        }
    }
    for members in batches(w, t) {
        match w.rules.order {
            Order::MoveThenAct => {
                move_phase(w, t, &members, &mut scratch);
                decide_phase(w, t, &members, &released, &mut scratch);
                enforce_phase(w, t, &members);
            }
            Order::ActThenMove => {
                decide_phase(w, t, &members, &released, &mut scratch);
                enforce_phase(w, t, &members);
                move_phase(w, t, &members, &mut scratch);
            }
        }
    }
    if w.rules.jail_countdown == JailCountdown::EndOfStep {
        w.countdown_all();
    }
    w.scratch = Some(scratch);
}

/// This step's random partition of the agents into batches, each in id order.
fn batches(w: &World, t: u64) -> Vec<Vec<u32>> {
    let b = w.params.batches.max(1) as u64;
    let mut out = vec![Vec::new(); b as usize];
    if b == 1 {
        out[0] = (0..w.agents() as u32).collect();
        return out;
    }
    let which: Vec<u8> = (0..w.agents() as u32)
        .into_par_iter()
        .with_min_len(4096)
        .map(|a| Rng::new(w.seed, t, PHASE_BATCH, a as u64).below(b) as u8)
        .collect();
    for (a, &k) in which.iter().enumerate() {
        out[k as usize].push(a as u32);
    }
    out
}

fn move_phase(w: &mut World, t: u64, members: &[u32], scratch: &mut Scratch) {
    let mut movers: Vec<u32> = members.to_vec();
    for round in 0..MOVE_ROUNDS {
        // each mover picks a cell and claims it with a random priority drawn from
        // its own stream (agent id in the low bits: no ties)
        let claims = &scratch.claims;
        let (targets, prio): (Vec<u32>, Vec<u64>) = {
            let w: &World = w;
            movers
                .par_iter()
                .with_min_len(1024)
                .map(|&a| {
                    if !w.may_move(a) {
                        return (NONE, u64::MAX);
                    }
                    let mut r = Rng::new(w.seed, t, S_MOVE + (round << 16), a as u64);
                    match w.pick_empty(&mut r, w.vision_of(a), w.pos[a as usize]) {
                        Some(c) => {
                            let p = (r.next_u64() & !0xFFFF_FFFF) | a as u64;
                            claims[c as usize].fetch_min(p, Relaxed);
                            (c, p)
                        }
                        None => (NONE, u64::MAX),
                    }
                })
                .unzip()
        };
        // who won is read in parallel once every claim is in
        let won: Vec<bool> = targets
            .par_iter()
            .zip(prio.par_iter())
            .with_min_len(1024)
            .map(|(&c, &p)| c != NONE && claims[c as usize].load(Relaxed) == p)
            .collect();
        targets.par_iter().with_min_len(1024).for_each(|&c| {
            if c != NONE {
                claims[c as usize].store(u64::MAX, Relaxed);
            }
        });
        let mut moves = Vec::new();
        let mut losers = Vec::new();
        for ((&a, &c), &won) in movers.iter().zip(&targets).zip(&won) {
            if won {
                moves.push((a, c));
            } else if c != NONE {
                losers.push(a);
            }
        }
        relocate_all(w, &moves);
        if losers.is_empty() {
            break;
        }
        movers = losers;
    }
}

fn decide_phase(w: &mut World, t: u64, members: &[u32], released: &[u32], scratch: &mut Scratch) {
    // Row prefix sums pay off when a phase covers most agents (rebuilding them
    // costs a pass over all cells); for a small batch, count directly.
    let use_prefix = w.nb_citizen.spans_fit() && std::env::var("SAHEL_PREFIX").is_ok();
    if use_prefix {
        let prefix = scratch.prefix.get_or_insert_with(|| RowPrefix::new(&w.grid));
        let w: &World = w;
        prefix.rebuild(|c| w.packed(c));
    }
    let legit = [w.params.legitimacy_at(t, 0), w.params.legitimacy_at(t, 1)];
    let new_states: Vec<u8> = {
        let w: &World = w;
        let prefix = scratch.prefix.as_ref();
        members
            .par_iter()
            .with_min_len(1024)
            .map(|&a| {
                let ai = a as usize;
                let s = w.state[ai];
                let eligible =
                    w.kind[ai] == CITIZEN && (s <= ACTIVE || (s == JAILED && released.binary_search(&a).is_ok()));
                if !eligible {
                    return s;
                }
                let g = w.group[ai] as usize;
                if !w.could_rebel(a, legit[g]) {
                    return QUIET;
                }
                let cell = w.pos[ai];
                let (cops, actives) = match (use_prefix, prefix) {
                    (true, Some(p)) => {
                        let v = p.count(&w.grid, &w.nb_citizen, cell, w.packed(cell as usize));
                        (v >> (2 * FIELD), (v >> (FIELD * (1 - g as u32))) & MASK)
                    }
                    _ => w.seen(cell, g),
                };
                w.choose(a, cops, actives, legit[g])
            })
            .collect()
    };
    for (&a, &s) in members.iter().zip(&new_states) {
        if s != w.state[a as usize] {
            w.set_state(a, s);
        }
    }
    if w.model2 {
        kill_phase(w, t, members);
    }
}

/// Model II: each active citizen picks a victim of the other group within vision.
fn kill_phase(w: &mut World, t: u64, members: &[u32]) {
    let mut picks: Vec<(u32, u64, u32)> = {
        let w: &World = w;
        let index = index_by_cell(w, |a| w.kind[a] == CITIZEN && w.state[a] <= ACTIVE);
        members
            .par_iter()
            .with_min_len(1024)
            .filter_map(|&a| {
                let ai = a as usize;
                if w.kind[ai] != CITIZEN || w.state[ai] != ACTIVE {
                    return None;
                }
                let other = 1 - w.group[ai] as usize;
                let mut r = Rng::new(w.seed, t, S_DECIDE, a as u64);
                let v = w.pick_in_vision(
                    &mut r,
                    &w.nb_citizen,
                    w.pos[ai],
                    &w.n_member[other],
                    |_| true,
                    Some(&index[other]),
                )?;
                Some((v, priority(w.seed, t, PHASE_KILL, a), a))
            })
            .collect()
    };
    picks.sort_unstable();
    let mut last = NONE;
    for (v, _, _) in picks {
        if v != last && w.state[v as usize] != DEAD {
            w.set_state(v, DEAD);
            w.counts_step.killed += 1;
        }
        last = v;
    }
}

fn enforce_phase(w: &mut World, t: u64, members: &[u32]) {
    let mut cops: Vec<u32> = members.iter().copied().filter(|&a| w.kind[a as usize] == COP).collect();
    if cops.is_empty() {
        return;
    }
    // the actives by cell, from the maintained set of active ids
    let mut index: [Vec<(u32, u32)>; 2] = [Vec::new(), Vec::new()];
    for &a in w.active_ids.as_ref().expect("the parallel scheduler keeps active ids") {
        index[w.group[a as usize] as usize].push((w.pos[a as usize], a));
    }
    for v in index.iter_mut() {
        v.sort_unstable();
    }
    for round in 0..ARREST_ROUNDS {
        if round > 0 {
            for v in index.iter_mut() {
                v.retain(|&(_, a)| w.state[a as usize] == ACTIVE);
            }
        }
        let mut picks: Vec<(u32, u64, u32, u32)> = {
            let w: &World = w;
            let index = &index;
            cops.par_iter()
                .with_min_len(256)
                .filter_map(|&c| {
                    let mut r = Rng::new(w.seed, t, S_ENFORCE + (round << 16), c as u64);
                    let s = w.pick_active(&mut r, w.pos[c as usize], Some(index))?;
                    let term = w.draw_jail_term(&mut r);
                    Some((s, priority(w.seed, t, PHASE_ARREST + (round << 16), c), c, term))
                })
                .collect()
        };
        if picks.is_empty() {
            break;
        }
        // the lowest-priority cop of each suspect wins; the others try again
        picks.sort_unstable();
        let mut winners: Vec<(u32, u32, u32)> = Vec::new();
        let mut losers: Vec<u32> = Vec::new();
        let mut last = NONE;
        for (s, _, c, term) in picks {
            if s != last {
                winners.push((c, s, term));
            } else {
                losers.push(c);
            }
            last = s;
        }
        winners.sort_unstable();
        for (c, s, term) in winners {
            w.arrest(c, s, term);
        }
        losers.sort_unstable();
        cops = losers;
    }
}
