//! M6 Money: incomes from the scenario's flows (the state's budget, foreign aid
//! less what elites capture), ransoms and trafficking for each northern town an
//! actor holds, levies on the people of the land a non-state actor holds (the
//! scenario's `unfunded` kinds take neither trafficking nor levies), and the pay
//! of fighters. An actor that cannot pay its fighters
//! sees them desert faster (M3); the aid elites capture makes the state stall on
//! the accord (M7): elites who profit from the conflict lower the will to settle.

use super::params::M6;
use crate::scenario::Kind;
use crate::world::*;

pub fn apply(w: &mut World, p: &M6) {
    let today = w.today();
    let week_share = w.clock.step_days as f64 / 365.25;
    let na = w.actors.len();
    w.dyn_.captured_step = 0.0;
    w.dyn_.aid_step = 0.0;
    let mut income = vec![0.0; na];
    for f in w.dyn_.flows.iter_mut() {
        let held = w.dyn_.hold_after_end && f.until >= w.sc.end;
        if (today > f.until && !held) || (!f.per_year && f.paid_once) {
            continue;
        }
        let mut amount = if f.per_year { f.usd * week_share } else { f.usd };
        f.paid_once = true;
        if f.aid {
            let captured = amount * p.elite_capture;
            w.dyn_.captured_step += captured;
            w.dyn_.aid_step += amount;
            amount -= captured;
        }
        income[f.actor] += amount;
    }
    w.dyn_.captured_total += w.dyn_.captured_step;
    // which actors take trafficking income and levies: the armed groups that
    // do (`trafficking_and_levies`) and are not of an unfunded kind
    let funded: Vec<bool> = w
        .actors
        .iter()
        .map(|a| a.kind.armed_group() && a.trafficking_and_levies && !p.unfunded.contains(&a.kind))
        .collect();
    // ransoms and trafficking from the northern towns an actor holds
    for &c in &w.dyn_.objectives {
        let c = c as usize;
        if !w.dyn_.north[c] {
            continue;
        }
        let h = w.controller[c] as usize;
        let ransom = if w.actors[h].kind == Kind::Jihadist { p.ransom_per_town_week } else { 0.0 };
        let trafficking = if funded[h] { p.trafficking_per_town_week } else { 0.0 };
        income[h] += ransom + trafficking;
    }
    // levies on the people of the land the funded armed groups hold
    for c in 0..w.raster.len() {
        let h = w.controller[c] as usize;
        if funded[h] {
            income[h] += w.people(c) * p.levy_per_person_week;
        }
    }
    // pay
    let mut fighters = vec![0.0; na];
    for i in 0..w.agents() {
        if w.state[i] == FIGHTER {
            fighters[w.affil[i] as usize] += w.weight[i];
        }
    }
    for a in 0..na {
        let budget = income[a];
        if w.actors[a].kind == Kind::State {
            w.dyn_.service_budget[a] = budget * p.state_service_share;
            w.actors[a].money += budget * (1.0 - p.state_service_share);
        } else {
            w.actors[a].money += budget;
        }
        let bill = fighters[a] * p.pay_per_fighter_week;
        let paid = bill.min(w.actors[a].money);
        w.actors[a].money -= paid;
        w.dyn_.unpaid[a] = if bill > 0.0 { 1.0 - paid / bill } else { 0.0 };
    }
}
