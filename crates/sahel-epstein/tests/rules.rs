//! Unit tests of each rule, driving the production code.
mod common;
use common::scenario;
use sahel_engine::Rng;
use sahel_epstein::model::{World, ACTIVE, COP, QUIET};
use sahel_epstein::params::ArrestRule;

#[test]
fn arrest_ratio_follows_each_rule() {
    // C/A = 1/2: exact 0.5, floor 0, Python round (half to even) 0
    assert_eq!(World::arrest_ratio(ArrestRule::Exact, 1, 2), 0.5);
    assert_eq!(World::arrest_ratio(ArrestRule::Floor, 1, 2), 0.0);
    assert_eq!(World::arrest_ratio(ArrestRule::Round, 1, 2), 0.0);
    // 3/2 = 1.5: round half to even gives 2, floor 1
    assert_eq!(World::arrest_ratio(ArrestRule::Round, 3, 2), 2.0);
    assert_eq!(World::arrest_ratio(ArrestRule::Floor, 3, 2), 1.0);
    // 5/2 = 2.5 rounds to 2 (Python), 2/3 rounds to 1
    assert_eq!(World::arrest_ratio(ArrestRule::Round, 5, 2), 2.0);
    assert_eq!(World::arrest_ratio(ArrestRule::Round, 2, 3), 1.0);
}

#[test]
fn activation_rule_is_g_minus_rp_above_t() {
    let p = scenario("epstein-netlogo", &[]);
    let mut w = World::new(p, 1);
    let a = (0..w.agents() as u32).find(|&a| w.kind[a as usize] != COP).unwrap();
    w.hardship[a as usize] = 1.0;
    w.risk[a as usize] = 1.0;
    // L = 0.82: G = 0.18. No cops: P = 0, G - 0 > 0.1: active.
    assert_eq!(w.choose(a, 0, 0, 0.82), ACTIVE);
    // One cop, no other active: floor(1/1) = 1, P = 0.8997, N = 0.8997: quiet.
    assert_eq!(w.choose(a, 1, 0, 0.82), QUIET);
    // One cop, one other active: floor(1/2) = 0: active again (safety in numbers).
    assert_eq!(w.choose(a, 1, 1, 0.82), ACTIVE);
    // Grievance at the threshold is not enough (strict inequality): H(1-L) = 0.1
    w.hardship[a as usize] = 0.5;
    assert_eq!(w.choose(a, 0, 0, 0.8), QUIET);
}

#[test]
fn jail_terms_span_each_variant_range() {
    for (variant, lo, hi) in [("mesa", 0, 30), ("netlogo", 0, 29), ("paper", 0, 30)] {
        let p = scenario("epstein-netlogo", &[("variant", &format!("\"{variant}\"")), ("max_jail_term", "30")]);
        let w = World::new(p, 1);
        let mut r = Rng::new(1, 1, 1, 1);
        let terms: Vec<u32> = (0..5000).map(|_| w.draw_jail_term(&mut r)).collect();
        assert_eq!(*terms.iter().min().unwrap(), lo, "{variant}");
        assert_eq!(*terms.iter().max().unwrap(), hi, "{variant}");
    }
    let p = scenario("epstein-run3", &[]);
    let w = World::new(p, 1);
    assert_eq!(w.draw_jail_term(&mut Rng::new(1, 1, 1, 1)), sahel_epstein::model::LIFE);
}

#[test]
fn netlogo_placement_has_exact_counts_and_mesa_binomial() {
    let p = scenario("epstein-netlogo", &[]);
    let c = World::new(p, 7).counts();
    assert_eq!(c.cops, 64); // round(0.04 * 1600)
    assert_eq!(c.quiet, 1120); // round(0.7 * 1600)
    let p = scenario("epstein-mesa", &[]);
    let counts: Vec<u64> = (0..20).map(|s| World::new(p.clone(), s).counts().quiet).collect();
    // Binomial(1600, 0.7): sd 18.3; the counts vary and stay within 5 sd of 1120
    assert!(counts.iter().any(|&c| c != counts[0]));
    assert!(counts.iter().all(|&c| (c as f64 - 1120.0).abs() < 92.0), "{counts:?}");
}

#[test]
fn legitimacy_schedules() {
    let p = scenario("epstein-run4", &[]);
    assert_eq!(p.legitimacy_at(76, 0), 0.9);
    assert_eq!(p.legitimacy_at(77, 0), 0.7);
    let p = scenario("epstein-run3", &[]);
    assert_eq!(p.legitimacy_at(0, 0), 0.9);
    assert!((p.legitimacy_at(11, 0) - 0.8).abs() < 1e-12);
    assert_eq!(p.legitimacy_at(500, 0), 0.2);
}

#[test]
fn mesa_citizens_use_cop_vision_unless_switched_off() {
    // With cop_vision 0 and citizen_vision 7, a Mesa citizen sees nothing, so no
    // one can move (all neighbourhoods are empty): positions never change.
    let p = scenario("epstein-mesa", &[("cop_vision", "0")]);
    let mut w = World::new(p, 3);
    let before = w.pos.clone();
    w.step();
    assert_eq!(before, w.pos);
    let p = scenario("epstein-mesa", &[("cop_vision", "0"), ("rules.citizens_use_cop_vision", "false")]);
    let mut w = World::new(p, 3);
    let before = w.pos.clone();
    w.step();
    assert_ne!(before, w.pos);
}
