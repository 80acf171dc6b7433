//! M3 Support and recruitment.
//!
//! * An active civilian joins an armed actor with probability `join_per_week`.
//!   It chooses among the actors in being that oppose the state or fight its
//!   enemies (rebels, jihadists, militias) and have fighters within `reach_km`,
//!   with weight `support × (1 + home_tie if it is a home community) × presence`,
//!   presence being the actor's force within reach over that force plus 1,000
//!   persons (an actor with no fighters yet counts as present, at weight ½, all
//!   over its region of origin). With `trust_gate`, an actor hostile to the
//!   state is a candidate only if the civilian's community in its cell supports
//!   it more than the state (Epstein's legitimacy `L`): grievance makes a
//!   civilian active, but it takes up arms only with a group it trusts more
//!   than the state it fights (who fights, and for whom: Kalyvas 2006;
//!   Humphreys & Weinstein 2008). The recruit joins the actor's nearest group.
//!   An actor's room is `absorb_per_week` of its force plus `absorb_base`
//!   persons a week, and no more than its money pays four weeks for; an actor
//!   asked for more persons than its room (its demand: the actives' weights
//!   times their chance of choosing it) takes each who chose it with the
//!   chance room/demand, so it takes its room in expectation at any number
//!   of persons an agent stands for, and nobody is served first. With `absorb_shared`, `absorb_base` is a
//!   movement's: the actors that merge into one (now or later, by the
//!   scenario's merge events) share it equally among those in being, so a
//!   movement's capacity does not grow with the names it fights under.
//! * The state hires quiet civilians of its home communities outside the north,
//!   `state_hiring_per_week` of its soldiers' persons a week (agents rounded
//!   at random, without bias), while its money covers
//!   half a year of the new pay; recruits start in the capital of their region.
//! * Fighters leave their actor at `desert_per_week`, or at
//!   `desert_unpaid_per_week` when their actor paid less than half its bill. One
//!   who leaves switches to another armed actor present in its cell whose support
//!   among its community there exceeds its own actor's by `switch_margin` (or,
//!   leaving an actor that did not pay, to one present that pays and that its
//!   community likes at least as well, less the margin: fighters follow pay), and
//!   otherwise goes home quiet.
//! * With `realign`, a fighter of a rebel, jihadist or militia group who does
//!   not leave weighs its allegiance anew at `join_per_week`, as an active
//!   civilian weighs joining, and by the same rule: it goes over to an armed
//!   actor present in its cell whose support among its community there
//!   exceeds its own actor's by `switch_margin` (with `trust_gate`, one its
//!   community trusts more than the state), or else, with `trust_gate`, goes
//!   home if its community there trusts the state its group fights at least
//!   as much as the group. Fighters are their communities' sons: a group that
//!   loses its people's trust (M2) loses its fighters to the groups they
//!   trust, as the MNLA lost its men to Ansar Dine and MUJAO in 2012
//!   (Christia 2012; Kalyvas 2006). With `front_holds`, a fighter of a group
//!   hostile to the state weighs its allegiance only where no force of the
//!   state's side stands within `reach_km`: a coalition formed against a
//!   common enemy holds while that enemy is at hand and breaks up once it has
//!   gone (Christia 2012), as the MNLA kept its men through the joint
//!   offensive and lost them to Ansar Dine and MUJAO once the towns had fallen.
//! * Cohesion breaks with defeat: a fighter of a rebel, jihadist or militia
//!   group that lost towns to its enemies this week (M4's net share `s` of the
//!   towns it held) leaves at an extra `defeat_desertion × s` (volunteers go
//!   home or bandwagon with the winner; Christia 2012, McLauchlin 2015). A
//!   state army's soldiers are held by pay and discipline instead (the unpaid
//!   rate above); foreign forces never desert.

use super::params::{M3, M6};
use crate::scenario::Kind;
use crate::world::*;
use sahel_engine::Rng;

const STREAM: u64 = sahel_engine::rng::streams::MODEL + 80;

/// `f`: every actor's force per cell as M3 starts (persons).
pub fn apply(w: &mut World, f: &[Vec<f64>], p: &M3, money: &M6) {
    let (na, nc) = (w.actors.len(), w.communities.len());
    let (seed, step) = (w.seed, w.step);
    // presence of each candidate near each cell: its force in the cells within reach
    let candidates: Vec<usize> = (0..na).filter(|&a| w.malian_active(a) && w.actors[a].kind.armed_group()).collect();
    let mut presence = vec![Vec::new(); na];
    for &a in &candidates {
        presence[a] = w.within_reach(&f[a], p.reach_km);
    }
    // where each actor's groups are
    let camps: Vec<Vec<u32>> =
        (0..na).map(|a| (0..w.raster.len() as u32).filter(|&c| f[a][c as usize] > 0.0).collect()).collect();
    let pay4 = 4.0 * money.pay_per_fighter_week * w.ppa;
    // the base: each actor's, or its movement's shared by those of it in being
    let base: Vec<f64> = if p.absorb_shared {
        let movement = w.movements();
        (0..na)
            .map(|a| {
                let members = candidates.iter().filter(|&&b| movement[b] == movement[a]).count().max(1);
                p.absorb_base / members as f64
            })
            .collect()
    } else {
        vec![p.absorb_base; na]
    };
    // the room, in persons: a share of the force plus the base, and no more
    // than the actor's money pays four weeks for
    let room: Vec<f64> = (0..na)
        .map(|a| {
            let capacity = f[a].iter().sum::<f64>() * p.absorb_per_week + base[a];
            let affordable = w.actors[a].money / (4.0 * money.pay_per_fighter_week).max(1e-12);
            capacity.min(affordable).max(0.0)
        })
        .collect();
    let state = w.state_actor();
    // every active's choice: the share of its weight for each candidate with room
    let mut choosers: Vec<(u32, Vec<f64>)> = Vec::new();
    let mut demand = vec![0.0; na];
    for i in 0..w.agents() {
        if w.state[i] != ACTIVE {
            continue;
        }
        let (c, k) = (w.cell[i], w.comm[i] as usize);
        // this civilian's community's support for each actor, in its cell
        let support = w.support_row(c as usize, k);
        let mut weights = Vec::with_capacity(candidates.len());
        for &a in &candidates {
            if room[a] <= 0.0 {
                weights.push(0.0);
                continue;
            }
            let mut pres = presence[a][c as usize];
            // an actor with no fighters yet recruits in its region of origin
            if camps[a].is_empty() && w.dyn_.origin[a] == Some(w.raster.region[c as usize] as usize) {
                pres = 1000.0;
            }
            let tie = if w.actors[a].home[k] { 1.0 + p.home_tie } else { 1.0 };
            // nobody takes up arms against a state it trusts at least as much
            if barred(w, p, state, a, support[a], support[state]) {
                weights.push(0.0);
                continue;
            }
            weights.push(support[a] as f64 * tie * pres / (pres + 1000.0));
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            continue;
        }
        for (j, &a) in candidates.iter().enumerate() {
            weights[j] /= total;
            demand[a] += w.weight[i] * p.join_per_week * weights[j];
        }
        choosers.push((i as u32, weights));
    }
    // an actor asked for more than its room takes each candidate with the
    // chance room/demand: persons, not agents, so no lump of `ppa` is lost
    let taken: Vec<f64> = (0..na).map(|a| if demand[a] > room[a] { room[a] / demand[a] } else { 1.0 }).collect();
    for (i, shares) in choosers {
        let iu = i as usize;
        let mut x = Rng::new(seed, step, STREAM, i as u64).uniform();
        for (j, &a) in candidates.iter().enumerate() {
            x -= p.join_per_week * shares[j] * taken[a];
            if x < 0.0 {
                w.state[iu] = FIGHTER;
                w.affil[iu] = a as u8;
                // the recruit goes to the nearest group of the actor
                let c = w.cell[iu];
                if f[a][c as usize] <= 0.0 {
                    if let Some(&g) = camps[a].iter().min_by(|&&x, &&y| {
                        w.raster.distance(c, x).partial_cmp(&w.raster.distance(c, y)).expect("finite")
                    }) {
                        w.cell[iu] = g;
                    }
                }
                break;
            }
        }
    }
    // the state hires
    let soldiers: f64 =
        (0..w.agents()).filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == state).map(|i| w.weight[i]).sum();
    // persons to agents by unbiased random rounding
    let want = super::m5_combat::stochastic_count(
        soldiers * p.state_hiring_per_week,
        w.ppa,
        &mut Rng::new(seed, step, STREAM + 3, state as u64 + (1 << 32)),
    );
    let affordable = (w.actors[state].money / (26.0 * money.pay_per_fighter_week * w.ppa).max(1e-9)) as usize;
    let mut hires = want.min(affordable);
    if hires > 0 {
        let n = w.agents() as u64;
        let mut r = Rng::new(seed, step, STREAM + 1, 0);
        let mut tries = 0;
        while hires > 0 && tries < 100 * (want + 1) {
            tries += 1;
            let i = r.below(n) as usize;
            let c = w.cell[i] as usize;
            if w.state[i] == QUIET && w.actors[state].home[w.comm[i] as usize] && !w.dyn_.north[c] {
                w.state[i] = FIGHTER;
                w.affil[i] = state as u8;
                w.cell[i] = w.capital[w.raster.region[c] as usize];
                hires -= 1;
            }
        }
    }
    // the rebel, jihadist and militia actors in being (the candidates), by actor
    let mut group = vec![false; na];
    for &a in &candidates {
        group[a] = true;
    }
    // the front: the state's side's force near each cell (only `front_holds` reads it)
    let front: Vec<f64> = if p.realign && p.front_holds {
        let mut side = vec![0.0; w.raster.len()];
        for x in (0..na).filter(|&x| w.state_side(x)) {
            for (s, &v) in side.iter_mut().zip(&f[x]) {
                *s += v;
            }
        }
        w.within_reach(&side, p.reach_km)
    } else {
        Vec::new()
    };
    // desertion, or a switch to the non-state actor the fighter's community in
    // its cell supports most, when that actor is present there and better liked;
    // the chance of leaving is the actor's: pay, and a non-state group's defeat
    let leave: Vec<f64> = (0..na)
        .map(|a| {
            let pay = if w.dyn_.unpaid[a] > 0.5 { p.desert_unpaid_per_week } else { p.desert_per_week };
            let beaten = if group[a] { p.defeat_desertion * w.dyn_.defeat[a] } else { 0.0 };
            (pay + beaten).min(1.0)
        })
        .collect();
    for i in 0..w.agents() {
        if w.state[i] != FIGHTER {
            continue;
        }
        let a = w.affil[i] as usize;
        if w.actors[a].kind == Kind::Foreign {
            continue;
        }
        let unpaid = w.dyn_.unpaid[a] > 0.5;
        let mut r = Rng::new(seed, step, STREAM + 2, i as u64);
        // a group's fighter who stays may still weigh its allegiance anew
        let leaves = r.chance(leave[a]);
        let realigns = p.realign && !leaves && group[a] && r.chance(p.join_per_week);
        // with `front_holds`, nobody weighs its allegiance with the common enemy at hand
        let realigns = realigns && !(p.front_holds && w.hostile(a, state) && front[w.cell[i] as usize] > 0.0);
        if !leaves && !realigns {
            continue;
        }
        let (c, k) = (w.cell[i] as usize, w.comm[i] as usize);
        let support = |b: usize| w.support[(c * nc + k) * na + b];
        // an unpaid fighter also follows pay: to an actor present that pays and
        // that its community likes nearly as well (within the margin)
        let pays = |b: usize| w.dyn_.unpaid[b] <= 0.5 && w.actors[b].money >= pay4;
        let margin = p.switch_margin as f32;
        let switch_to = candidates
            .iter()
            .copied()
            .filter(|&b| {
                b != a
                    && f[b][c] > 0.0
                    && !(realigns && barred(w, p, state, b, support(b), support(state)))
                    && (support(b) > support(a) + margin
                        || (leaves && unpaid && pays(b) && support(b) + margin >= support(a)))
            })
            .max_by(|&x, &y| support(x).partial_cmp(&support(y)).expect("finite").then(y.cmp(&x)));
        match switch_to {
            Some(b) => w.affil[i] = b as u8,
            // one who only weighed its allegiance, and found none better, stays
            // unless its community trusts the state it fights at least as much
            None if !leaves && !barred(w, p, state, a, support(a), support(state)) => {}
            None => {
                w.state[i] = QUIET;
                w.affil[i] = NO_ACTOR;
            }
        }
    }
}

/// The trust gate (`trust_gate`): nobody takes up arms, or keeps them, with an
/// actor hostile to the state (`state`) when its community there trusts that
/// actor (`own`) no more than the state (`state_support`).
fn barred(w: &World, p: &M3, state: usize, a: usize, own: f32, state_support: f32) -> bool {
    p.trust_gate && w.hostile(a, state) && own <= state_support
}
