//! Property tests: whatever the rules, agents are never lost, per-cell counts stay
//! true, and one agent per cell holds where the rules say so.
mod common;
use common::scenario;
use proptest::prelude::*;
use sahel_epstein::World;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
    #[test]
    fn agents_are_never_lost(
        variant in prop_oneof![Just("paper"), Just("netlogo"), Just("mesa")],
        parallel in any::<bool>(),
        model2 in any::<bool>(),
        citizens in 0.0f64..0.9,
        cops in 0.0f64..0.1,
        vision in 0.0f64..4.0,
        legit in 0.0f64..1.0,
        jail in 0u32..20,
        movement in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let base = if model2 { "epstein-run8" } else { "epstein-netlogo" };
        let sched = if parallel { "\"parallel\"" } else { "\"sequential\"" };
        let p = scenario(base, &[
            ("variant", &format!("\"{variant}\"")), ("scheduler", sched),
            ("width", "13"), ("height", "11"),
            ("citizen_density", &citizens.to_string()), ("cop_density", &cops.to_string()),
            ("citizen_vision", &vision.to_string()), ("cop_vision", &vision.to_string()),
            ("legitimacy", &legit.to_string()), ("max_jail_term", &jail.to_string()),
            ("movement", &movement.to_string()), ("batches", "3"),
        ]);
        let mut w = World::new(p, seed);
        let start = w.counts();
        let citizens0 = start.quiet + start.active + start.jailed;
        let (mut born, mut died) = (0, 0);
        for _ in 0..25 {
            w.step();
            w.check_invariants().map_err(TestCaseError::fail)?;
            let c = w.counts();
            born += c.born;
            died += c.killed + c.died_old;
            prop_assert_eq!(c.quiet + c.active + c.jailed, citizens0 + born - died);
            prop_assert_eq!(c.cops, start.cops);
            prop_assert_eq!(c.alive[0] + c.alive[1], c.quiet + c.active + c.jailed);
        }
    }
}
