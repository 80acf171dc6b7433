//! M7 Accord implementation: a repeated game between the accord's parties.
//!
//! Every `period_weeks` (the rhythm of the monitoring committee), each party that
//! has signed chooses to implement its provisions (cooperate) or to stall
//! (defect), by its strategy applied to what it *perceived* the others did in the
//! previous round:
//! * `tit_for_tat`: cooperate iff the others were perceived to cooperate (with
//!   several counterparts: at least half of them);
//! * `generous`: as tit-for-tat, but after a perceived defection still cooperate
//!   with probability `forgiveness` (Nowak & Sigmund 1992: with payoffs T, R, P,
//!   S the best forgiveness is `min(1 − (T−R)/(R−S), (R−P)/(T−P))`, 1/3 for
//!   5, 3, 1, 0).
//!
//! Its own incentives then push a party to stall: with probability `pressure`
//! (elite capture, spoilers' attacks on joint patrols; supplied by the caller from
//! M6 and M5) it defects whatever its strategy says. An intended move is carried
//! out wrongly with probability `execution_noise` (Molander 1985). Each party sees
//! each counterpart's move wrongly with probability `misread_cooperation` (a
//! cooperation seen as a stall) or `misread_defection` (a stall seen as a
//! cooperation); an independent observer scales both down by its
//! `noise_reduction`. A first round starts from cooperation.
//!
//! The caller turns moves into implementation (a cooperating party advances its
//! provisions) and keeps each party's perceived level of what the others did.

use sahel_engine::Rng;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    TitForTat,
    Generous,
}

/// Nowak & Sigmund's forgiveness of generous tit-for-tat for payoffs T > R > P > S.
pub fn generous_forgiveness(t: f64, r: f64, p: f64, s: f64) -> f64 {
    (1.0 - (t - r) / (r - s)).min((r - p) / (t - p))
}

/// The game's rules (no state).
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    pub strategy: Strategy,
    pub forgiveness: f64,
    pub execution_noise: f64,
    pub misread_cooperation: f64,
    pub misread_defection: f64,
}

/// The state of the game between `n` parties.
#[derive(Clone, Debug)]
pub struct Game {
    pub rules: Rules,
    /// Last move of each party (true = cooperate).
    pub last: Vec<bool>,
    /// What party `i` perceived party `j` did last round.
    pub seen: Vec<Vec<bool>>,
    /// Whether each party takes part (has signed).
    pub playing: Vec<bool>,
    pub rounds: u64,
}

impl Game {
    pub fn new(n: usize, rules: Rules) -> Game {
        Game { rules, last: vec![true; n], seen: vec![vec![true; n]; n], playing: vec![false; n], rounds: 0 }
    }

    /// Play one round. `rng(i)` gives party `i`'s stream for this round;
    /// `pressure[i]` is the probability that its incentives make it stall;
    /// `noise_scale` (1 without observer) scales the misreadings.
    pub fn round(&mut self, mut rng: impl FnMut(usize) -> Rng, pressure: &[f64], noise_scale: f64) -> Vec<bool> {
        let n = self.last.len();
        let mut moves = self.last.clone();
        let mut rngs: Vec<Rng> = (0..n).map(&mut rng).collect();
        for i in 0..n {
            if !self.playing[i] {
                continue;
            }
            let r = &mut rngs[i];
            let others: Vec<usize> = (0..n).filter(|&j| j != i && self.playing[j]).collect();
            let cooperating = others.iter().filter(|&&j| self.seen[i][j]).count();
            let mut intend = others.is_empty() || 2 * cooperating >= others.len();
            if !intend && self.rules.strategy == Strategy::Generous {
                intend = r.chance(self.rules.forgiveness);
            }
            if intend && r.chance(pressure.get(i).copied().unwrap_or(0.0)) {
                intend = false;
            }
            moves[i] = if r.chance(self.rules.execution_noise) { !intend } else { intend };
        }
        for i in 0..n {
            for j in 0..n {
                if i == j || !self.playing[i] || !self.playing[j] {
                    continue;
                }
                let r = &mut rngs[i];
                let misread = if moves[j] { self.rules.misread_cooperation } else { self.rules.misread_defection };
                self.seen[i][j] = if r.chance(misread * noise_scale) { !moves[j] } else { moves[j] };
            }
        }
        self.last = moves.clone();
        self.rounds += 1;
        moves
    }
}

use super::params::M7;
use crate::scenario::Effect;
use crate::step::Scratch;
use crate::world::*;

const STREAM: u64 = sahel_engine::rng::streams::MODEL + 95;

/// Every `period_weeks` from the first signature, the signed parties play a
/// round. The state's incentives to stall are the share of aid its elites
/// captured (M6) and, for every party, the spoilers' attacks in the north since
/// the last round (M5). A cooperating party advances each provision it owes by
/// `progress_per_round` (Peace Accords Matrix levels, at most 3); each party's
/// belief about the others' provisions advances when it *sees* them cooperate.
/// Integration then turns rebel fighters into state fighters.
pub fn apply(w: &mut World, _s: &Scratch, p: &M7) {
    let Some(acc) = w.sc.accord.clone() else { return };
    let parties: Vec<usize> = acc.parties.iter().map(|n| w.actor(n)).collect();
    if w.dyn_.first_signature_step.is_none() && parties.iter().any(|&a| w.dyn_.signed[a]) {
        w.dyn_.first_signature_step = Some(w.step);
    }
    let Some(first) = w.dyn_.first_signature_step else { return };
    if !(w.step - first).is_multiple_of(p.period_weeks as u64) {
        return;
    }
    let state = w.state_actor();
    let capture = if w.dyn_.aid_step > 0.0 { w.dyn_.captured_step / w.dyn_.aid_step } else { 0.0 };
    let spoilers = (w.dyn_.spoiler_attacks * 0.01).min(0.5);
    w.dyn_.spoiler_attacks = 0.0;
    let pressure: Vec<f64> =
        parties.iter().map(|&a| if a == state { (0.5 * capture + spoilers).min(0.9) } else { spoilers }).collect();
    let (seed, round) = (w.seed, (w.step - first) / p.period_weeks as u64);
    let noise = w.dyn_.noise_scale;
    let game = w.dyn_.game.as_mut().expect("built with the accord");
    for (j, &a) in parties.iter().enumerate() {
        game.playing[j] = w.dyn_.signed[a];
    }
    let moves = game.round(|j| Rng::new(seed, round, STREAM, j as u64), &pressure, noise);
    let seen = game.seen.clone();
    let before_integration = w.accord_effect(Effect::Integration);
    for (k, prov) in acc.provisions.iter().enumerate() {
        let owner = acc.parties.iter().position(|n| n == &prov.owed_by).expect("validated");
        if !w.dyn_.signed[parties[owner]] {
            continue;
        }
        if moves[owner] {
            w.dyn_.level[k] = (w.dyn_.level[k] + p.progress_per_round).min(3.0);
        }
        for (j, &a) in parties.iter().enumerate() {
            if j != owner && w.dyn_.signed[a] && seen[j][owner] {
                w.dyn_.perceived[j][k] = (w.dyn_.perceived[j][k] + p.progress_per_round).min(3.0);
            }
        }
    }
    // integration: the newly integrated share of rebel signatories' fighters joins the state
    let gained = w.accord_effect(Effect::Integration) - before_integration;
    if gained > 0.0 {
        let rebels: Vec<usize> =
            parties.iter().copied().filter(|&a| w.actors[a].kind == crate::scenario::Kind::Rebel).collect();
        for &a in &rebels {
            let members: Vec<usize> =
                (0..w.agents()).filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == a).collect();
            let k = (members.len() as f64 * gained).round() as usize;
            for &i in members.iter().take(k) {
                w.affil[i] = state as u8;
            }
        }
    }
}

impl World {
    /// Mean implementation (0..1) of the provisions with effect `e`.
    pub fn accord_effect(&self, e: Effect) -> f64 {
        let Some(acc) = &self.sc.accord else { return 0.0 };
        let levels: Vec<f64> =
            acc.provisions.iter().zip(&self.dyn_.level).filter(|(p, _)| p.effect == e).map(|(_, l)| l / 3.0).collect();
        if levels.is_empty() {
            0.0
        } else {
            levels.iter().sum::<f64>() / levels.len() as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn play(strategy: Strategy, forgiveness: f64, noise: f64, rounds: u64, seed: u64) -> f64 {
        let rules =
            Rules { strategy, forgiveness, execution_noise: noise, misread_cooperation: 0.0, misread_defection: 0.0 };
        let mut g = Game::new(2, rules);
        g.playing = vec![true, true];
        let mut coop = 0u64;
        for t in 0..rounds {
            let m = g.round(|i| Rng::new(seed, t, 700, i as u64), &[0.0, 0.0], 1.0);
            coop += m.iter().filter(|&&c| c).count() as u64;
        }
        coop as f64 / (2 * rounds) as f64
    }

    #[test]
    fn forgiveness_for_the_classic_payoffs_is_one_third() {
        assert!((generous_forgiveness(5.0, 3.0, 1.0, 0.0) - 1.0 / 3.0).abs() < 1e-12);
    }

    /// Molander (1985): two tit-for-tat players with any execution noise end up
    /// cooperating half of the time. 200,000 rounds at 1 % and 5 % noise; the
    /// long-run share is 0.5 and the sampling error of the share is below 0.01
    /// (spells are short at these noise levels), so ±0.03 is a wide margin.
    #[test]
    fn tit_for_tat_pair_under_noise_complies_half_the_time() {
        for (noise, seed) in [(0.01, 1), (0.05, 2)] {
            let c = play(Strategy::TitForTat, 0.0, noise, 200_000, seed);
            assert!((c - 0.5).abs() < 0.03, "noise {noise}: {c}");
        }
    }

    /// Nowak & Sigmund (1992): generous tit-for-tat (forgiveness 1/3) keeps about
    /// 97 % cooperation at 1 % noise. Analytically the stationary share is
    /// 1 − ε·(1 + 1/g)... ≈ 0.97; we accept 0.955–0.985.
    #[test]
    fn generous_pair_at_one_percent_noise_keeps_97_percent() {
        let g = generous_forgiveness(5.0, 3.0, 1.0, 0.0);
        let c = play(Strategy::Generous, g, 0.01, 200_000, 3);
        assert!((0.955..=0.985).contains(&c), "{c}");
    }

    /// Without noise, both strategies cooperate forever.
    #[test]
    fn no_noise_full_compliance() {
        assert_eq!(play(Strategy::TitForTat, 0.0, 0.0, 1000, 4), 1.0);
    }

    /// Misperception alone also erodes cooperation between generous players, and
    /// an observer that cuts it by 80 % raises compliance.
    #[test]
    fn an_observer_raises_compliance_under_misperception() {
        let run = |scale: f64| {
            let rules = Rules {
                strategy: Strategy::Generous,
                forgiveness: 1.0 / 3.0,
                execution_noise: 0.0,
                misread_cooperation: 0.2,
                misread_defection: 0.05,
            };
            let mut g = Game::new(2, rules);
            g.playing = vec![true, true];
            let mut coop = 0u64;
            for t in 0..50_000 {
                let m = g.round(|i| Rng::new(9, t, 700, i as u64), &[0.0, 0.0], scale);
                coop += m.iter().filter(|&&c| c).count() as u64;
            }
            coop as f64 / 100_000.0
        };
        let without = run(1.0);
        let with = run(0.2);
        assert!(with > without + 0.1, "observer {with} vs none {without}");
    }
}
