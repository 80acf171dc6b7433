//! M2 Services and legitimacy (after Athena's ENI and URAM models).
//!
//! Each cell needs services (security, justice, health, schooling). The actor
//! that holds the cell delivers what its spending buys there (the state, its
//! level in the north, in the south, or in a region `state_service_regions`
//! names, times its capacity and funding); a non-state actor
//! that funds services (the brief's jihadists) delivers where it is present.
//! People compare what they get with what they expect; the gap moves each
//! community's relationship with each actor:
//! * the controller is blamed for a shortfall and credited for a surplus;
//! * a non-state provider is credited for what it delivers where the state falls
//!   short ("filling the void");
//! * trust falls fast and recovers slowly: shortfalls move relationships at
//!   `fall_rate`, surpluses and credit at `rise_rate < fall_rate`;
//! * with `relax_per_week`, every relationship also goes that share of the way
//!   back to its start-date level each week (the effects fade, as Athena's URAM
//!   attitudes relax towards their baseline), so a lasting gap holds support at
//!   a level, `baseline + rate × gap / relax`, instead of driving it to 0 or 1;
//! * expectations adapt slowly to what is delivered (`adaptation` per step);
//!   they start at `initial_expectation` everywhere or, with
//!   `settled_expectations`, at what each cell's holder delivers on the start
//!   date at full funding (adapted, at rest: no gap before anything happens).
//! * an actor is blamed for the people it kills: every community's support
//!   for it in the cell falls by `harm_weight` times the share of the cell's
//!   people it killed this week;
//! * with `blame_unprotected`, security is a service the holder owes: a
//!   community whose people a rival community killed in the cell last week
//!   (M11) blames the holder for failing to protect them, its support for the
//!   holder falling by `harm_weight` times the share of its own people there
//!   killed. Civilians turn to whoever can protect them (Kalyvas 2006); the
//!   Peul of the centre turned to the jihadists, and the Dogon to their
//!   militias, for the protection the state did not give (ICG Africa Report
//!   238, 2016; Benjaminsen & Ba 2019).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    pub fall_rate: f64,
    pub rise_rate: f64,
    pub adaptation: f64,
}

/// The weekly update of one community's relationships in one cell.
/// `support[a]` ∈ [0, 1] for each actor; `controller` holds the cell;
/// `delivered` is the service level it provides (0..1), `expected` what people
/// expect; `provided[a]` is what each non-state provider delivers.
/// Returns the new expectation.
pub fn update(
    support: &mut [f64],
    controller: usize,
    delivered: f64,
    expected: f64,
    provided: &[f64],
    r: &Rates,
) -> f64 {
    let gap = delivered - expected;
    let rate = if gap < 0.0 { r.fall_rate } else { r.rise_rate };
    support[controller] = (support[controller] + rate * gap).clamp(0.0, 1.0);
    let shortfall = (expected - delivered).max(0.0);
    for (a, &p) in provided.iter().enumerate() {
        if a != controller && p > 0.0 {
            // credited for the part of the shortfall it fills
            let filled = p.min(shortfall);
            support[a] = (support[a] + r.rise_rate * filled).clamp(0.0, 1.0);
        }
    }
    expected + r.adaptation * (delivered - expected)
}

use super::params::M2;
use crate::scenario::Kind;
use crate::step::Scratch;
use crate::world::*;

/// The state's funding of its services (what it spends against what it spent
/// at its best: 1 = the pre-war level) and the accord's police in the north.
fn state_delivery(w: &World) -> (f64, f64) {
    let spend = w.dyn_.service_budget[w.state_actor()];
    let best = w.dyn_.best_service_budget.max(spend);
    (if best > 0.0 { spend / best } else { 0.0 }, w.accord_effect(crate::scenario::Effect::Police))
}

/// Services the holder of cell `c` delivers there (0..1), given the state's
/// funding and police (`state_delivery`).
fn delivered_by_holder(w: &World, c: usize, p: &M2, (funding, police): (f64, f64)) -> f64 {
    let h = w.controller[c] as usize;
    let north = w.dyn_.north[c];
    let delivered = match w.actors[h].kind {
        Kind::State => {
            let region = &w.raster.regions[w.raster.region[c] as usize].name;
            let level = match p.state_service_regions.get(region) {
                Some(&x) => x,
                None if north => p.state_service_north,
                None => p.state_service_south,
            };
            level * w.actors[h].capacity * funding + if north { 0.2 * police } else { 0.0 }
        }
        Kind::Jihadist if w.actors[h].provides_services && w.actors[h].money > 0.0 => p.jihadist_service,
        _ => p.armed_group_service,
    };
    delivered.min(1.0)
}

/// With `settled_expectations`, what each cell's people expect on the start
/// date: what its holder then delivers at full funding (expectations that
/// have adapted to it, as `adaptation` makes them over the years before).
pub fn settled_expectations(w: &World, p: &M2) -> Vec<f64> {
    (0..w.raster.len()).map(|c| delivered_by_holder(w, c, p, (1.0, 0.0))).collect()
}

/// Whether actor `a` delivers services where it stands: a non-state actor
/// that funds services and has money (the brief's jihadists).
pub fn provides(w: &World, a: usize) -> bool {
    w.actors[a].kind != Kind::State && w.actors[a].provides_services && w.actors[a].money > 0.0
}

/// The void a provider would fill in each of `cells`: the share of its
/// services (`jihadist_service`) that the shortfall there (what people expect
/// less what the cell's holder delivers) would credit it for, 0..1 (M10's
/// `serve_pull`).
pub fn void_shares(w: &World, cells: &[u32], p: &M2) -> Vec<f64> {
    if !p.enabled || p.jihadist_service <= 0.0 {
        return vec![0.0; cells.len()];
    }
    let state_now = state_delivery(w);
    cells
        .iter()
        .map(|&c| {
            let shortfall = (w.dyn_.expected[c as usize] - delivered_by_holder(w, c as usize, p, state_now)).max(0.0);
            shortfall.min(p.jihadist_service) / p.jihadist_service
        })
        .collect()
}

/// Services delivered in every cell by whoever holds it, and the relationships
/// that follow; collateral harm lowers every community's support for the
/// perpetrator in the cell in proportion to the share of its people killed (the
/// victims' community is not tracked).
pub fn apply(w: &mut World, s: &Scratch, p: &M2) {
    let (ncell, nc, na) = (w.raster.len(), w.communities.len(), w.actors.len());
    let rates = Rates { fall_rate: p.fall_per_week, rise_rate: p.rise_per_week, adaptation: p.adaptation_per_week };
    // the state's delivery scales with what it spends on services against what
    // it spent at its best (a 1 = pre-war level); its capacity takes the coup's shock
    let state = w.state_actor();
    let state_now = state_delivery(w);
    w.dyn_.best_service_budget = w.dyn_.best_service_budget.max(w.dyn_.service_budget[state]);
    for c in 0..ncell {
        let h = w.controller[c] as usize;
        let delivered = delivered_by_holder(w, c, p, state_now);
        let mut provided = vec![0.0; na];
        for a in 0..na {
            if a != h && provides(w, a) && w.malian_active(a) && s.force[a][c] > 0.0 {
                provided[a] = p.jihadist_service;
            }
        }
        let expected = w.dyn_.expected[c];
        let people = w.people(c);
        let region = w.raster.region[c] as usize;
        let mut new_expected = expected;
        for k in 0..nc {
            let base = (c * nc + k) * na;
            let mut sup: Vec<f64> = (0..na).map(|a| w.support[base + a] as f64).collect();
            new_expected = update(&mut sup, h, delivered, expected, &provided, &rates);
            if people > 0.0 {
                for a in 0..na {
                    if s.harm[a][c] > 0.0 {
                        sup[a] = (sup[a] - p.harm_weight * s.harm[a][c] / people).max(0.0);
                    }
                }
            }
            if p.blame_unprotected {
                let killed = w.dyn_.unprotected[c * nc + k];
                let own = w.people_of(c, k);
                if killed > 0.0 && own > 0.0 {
                    sup[h] = (sup[h] - p.harm_weight * killed / (own + killed)).max(0.0);
                }
            }
            if p.relax_per_week > 0.0 {
                // the effects fade: back towards the start-date level
                let baseline = &w.dyn_.baseline_support[(region * nc + k) * na..][..na];
                for (x, &b) in sup.iter_mut().zip(baseline) {
                    *x += p.relax_per_week * (b as f64 - *x);
                }
            }
            for a in 0..na {
                w.support[base + a] = sup[a] as f32;
            }
        }
        w.dyn_.expected[c] = new_expected;
    }
    // northern representation raises the state's legitimacy in the north
    let rep = w.accord_effect(crate::scenario::Effect::Representation);
    if rep > 0.0 {
        for c in 0..ncell {
            if w.dyn_.north[c] {
                for k in 0..nc {
                    let x = &mut w.support[(c * nc + k) * na + state];
                    *x = (*x + (p.rise_per_week * rep) as f32).min(1.0);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const R: Rates = Rates { fall_rate: 0.2, rise_rate: 0.05, adaptation: 0.01 };

    #[test]
    fn the_controller_is_blamed_for_a_shortfall() {
        let mut s = vec![0.6, 0.2];
        update(&mut s, 0, 0.2, 0.7, &[0.0, 0.0], &R);
        assert!(s[0] < 0.6);
        assert_eq!(s[1], 0.2);
    }

    #[test]
    fn a_non_state_provider_filling_the_gap_is_credited() {
        let mut s = vec![0.6, 0.2];
        update(&mut s, 0, 0.2, 0.7, &[0.0, 0.4], &R);
        assert!(s[1] > 0.2);
        // but not where the state delivers what people expect
        let mut s = vec![0.6, 0.2];
        update(&mut s, 0, 0.7, 0.7, &[0.0, 0.4], &R);
        assert_eq!(s[1], 0.2);
    }

    #[test]
    fn trust_falls_fast_and_recovers_slowly() {
        let mut s = vec![0.8, 0.0];
        let mut weeks_down = 0;
        while s[0] > 0.4 {
            update(&mut s, 0, 0.3, 0.7, &[0.0, 0.0], &R);
            weeks_down += 1;
        }
        let mut weeks_up = 0;
        while s[0] < 0.8 {
            update(&mut s, 0, 1.0, 0.6, &[0.0, 0.0], &R);
            weeks_up += 1;
        }
        assert!(weeks_up > 2 * weeks_down, "down {weeks_down} weeks, up {weeks_up}");
    }

    #[test]
    fn expectations_adapt_slowly() {
        let e = update(&mut [0.5, 0.5], 0, 0.0, 1.0, &[0.0, 0.0], &R);
        assert!((e - 0.99).abs() < 1e-12);
    }
}
