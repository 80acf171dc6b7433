//! The `sequential` scheduler: agents activated one at a time in a fresh random
//! order each step, each seeing the effects of those before it — as Epstein's
//! Ascape model, NetLogo's `ask turtles` and Mesa's `shuffle_do` do. Cops and
//! citizens share one order.

use crate::model::*;
use crate::params::{JailCountdown, Order};
use sahel_engine::schedule::activation_order;
use sahel_engine::Rng;

pub(crate) fn step(w: &mut World) {
    let t = w.step;
    let order = activation_order(w.seed, t, w.agents());
    for a in order {
        activate(w, a, t);
    }
    if w.rules.jail_countdown == JailCountdown::EndOfStep {
        w.countdown_all();
    }
}

fn activate(w: &mut World, a: u32, t: u64) {
    let ai = a as usize;
    let mut rng = Rng::new(w.seed, t, S_ACT, a as u64);
    if w.kind[ai] == COP {
        match w.rules.order {
            Order::MoveThenAct => {
                movement(w, a, &mut rng);
                enforce(w, a, &mut rng);
            }
            Order::ActThenMove => {
                enforce(w, a, &mut rng);
                movement(w, a, &mut rng);
            }
        }
        return;
    }
    match w.state[ai] {
        DEAD => return,
        JAILED => match w.rules.jail_countdown {
            JailCountdown::EndOfStep => return,
            JailCountdown::OwnStep => {
                if w.jail[ai] > 0 {
                    if w.jail[ai] != LIFE {
                        w.jail[ai] -= 1;
                    }
                    return;
                }
                // term served: this activation is a normal one
            }
        },
        _ => {}
    }
    match w.rules.order {
        Order::MoveThenAct => {
            movement(w, a, &mut rng);
            decide(w, a, t, &mut rng);
        }
        Order::ActThenMove => {
            decide(w, a, t, &mut rng);
            movement(w, a, &mut rng);
        }
    }
}

fn movement(w: &mut World, a: u32, rng: &mut Rng) {
    if !w.may_move(a) {
        return;
    }
    let nb = w.vision_of(a);
    if let Some(to) = w.pick_empty(rng, nb, w.pos[a as usize]) {
        w.relocate(a, to);
    }
}

fn decide(w: &mut World, a: u32, t: u64, rng: &mut Rng) {
    let ai = a as usize;
    let g = w.group[ai] as usize;
    let legitimacy = w.params.legitimacy_at(t, g);
    let new = if w.could_rebel(a, legitimacy) {
        let (cops, actives) = w.seen(w.pos[ai], g);
        w.choose(a, cops, actives, legitimacy)
    } else {
        QUIET
    };
    w.set_state(a, new);
    if w.model2 && new == ACTIVE {
        kill(w, a, rng);
    }
}

/// Model II: an active citizen kills a random free member of the other group
/// within its vision.
fn kill(w: &mut World, a: u32, rng: &mut Rng) {
    let ai = a as usize;
    let other = 1 - w.group[ai] as usize;
    let victim = w.pick_in_vision(
        rng,
        &w.nb_citizen,
        w.pos[ai],
        &w.n_member[other],
        |b| w.kind[b as usize] == CITIZEN && w.group[b as usize] as usize == other && w.state[b as usize] <= ACTIVE,
        None,
    );
    if let Some(v) = victim {
        w.set_state(v, DEAD);
        w.counts_step.killed += 1;
    }
}

fn enforce(w: &mut World, cop: u32, rng: &mut Rng) {
    let cell = w.pos[cop as usize];
    let suspect = w.pick_active(rng, cell, None);
    if let Some(s) = suspect {
        let term = w.draw_jail_term(rng);
        w.arrest(cop, s, term);
    }
}
