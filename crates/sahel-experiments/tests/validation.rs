//! The scorecard in CI: the brief's patterns P1–P7 (and our supplementary
//! check S1, `sahel_mali::patterns`) over a fixed seed set of the
//! built-in `mali-2012` (its calibrated point estimate, default scale), and the
//! ablation that proves the events do not script the outcomes.
//!
//! A pattern holds when it holds in ≥ 80 % of seeds (the brief). Patterns the
//! model does not reproduce today are listed in `KNOWN_FAILING`, as
//! docs/validation.md reports them; the test also fails when one of them starts
//! to hold, so that the list and the report are kept true.

use sahel_experiments::{ensemble, model::Base, observed, validate};

const SEEDS: std::ops::RangeInclusive<u64> = 1..=20;

/// Patterns that fail in the calibrated model (docs/validation.md).
const KNOWN_FAILING: &[&str] = &["P2", "P3", "P4", "P5", "P7", "S1"];

fn base() -> Base {
    Base::parse(sahel_mali::scenario::BUILTIN[0].1).unwrap()
}

fn score(sets: &[(String, toml::Value)]) -> validate::Validation {
    let seeds: Vec<u64> = SEEDS.collect();
    let members = ensemble::run(&base(), sets, None, &seeds, None, &|| {}).unwrap();
    validate::validate("mali-2012", &members, &observed::builtin(), None, vec![], None, "2017-12-31")
}

#[test]
fn patterns_hold_in_80_percent_of_a_fixed_seed_set() {
    let v = score(&[]);
    let mut wrong = Vec::new();
    for p in &v.patterns {
        let expected = !KNOWN_FAILING.contains(&p.id.as_str());
        if p.holds != expected {
            wrong.push(format!(
                "{} {} in {}/{} seeds (expected it to {}): {}",
                p.id,
                if p.holds { "holds" } else { "fails" },
                p.holds_in,
                p.of,
                if expected { "hold" } else { "fail, as docs/validation.md says" },
                p.example
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The shipped scenario is the calibration's point estimate, scored by the
    // calibration's own distance: on these 20 seeds it must fit at least as
    // well as the worst particle the fit kept in its final population (the
    // final tolerance in data/calibration/calibration.json; the point's mean
    // over 10 other seeds was 0.98 against 1.24). A model changed without a
    // refit, or a distance computed differently from `sahel calibrate`'s,
    // fails here.
    let fit: serde_json::Value =
        serde_json::from_str(include_str!("../../../data/calibration/calibration.json")).unwrap();
    let tolerance = fit["final_tolerance"].as_f64().unwrap();
    let d = &v.distance;
    assert_eq!(d.per_seed.len(), 20);
    assert_eq!(d.targets, fit["targets"].as_array().unwrap().len(), "the calibration's targets, --fit-combatants");
    assert!(d.mean < tolerance, "mean distance {:.3} over seeds 1-20, final tolerance {tolerance:.3}", d.mean);
    // the terms' shares add up to the mean squared distance
    let mean_sq = d.per_seed.iter().map(|x| x * x).sum::<f64>() / 20.0;
    let shares: f64 = d.terms.iter().map(|t| t.share).sum();
    assert!((shares - mean_sq).abs() < 1e-9 * mean_sq.max(1.0), "{shares} vs {mean_sq}");
}

/// With M2–M5 off (services and legitimacy, recruitment, control, combat) and
/// every event kept, P1–P5 must fail: the events alone do not produce them.
#[test]
fn without_m2_to_m5_the_events_alone_do_not_produce_p1_to_p5() {
    let sets = ensemble::ablation(&["m2".into(), "m3".into(), "m4".into(), "m5".into()]).unwrap();
    let v = score(&sets);
    for p in v.patterns.iter().filter(|p| ["P1", "P2", "P3", "P4", "P5"].contains(&p.id.as_str())) {
        assert!(!p.holds, "{} holds in {}/{} seeds with M2-M5 off: {}", p.id, p.holds_in, p.of, p.example);
    }
}

/// An ensemble is gathered in seed order and each member runs alone: the
/// same at 1 and 3 threads, with parameters drawn from a posterior.
#[test]
fn ensembles_do_not_depend_on_the_thread_count() {
    let coarse = [
        ("people_per_agent".to_string(), toml::Value::Float(2000.0)),
        ("geography.cell_deg".to_string(), toml::Value::Float(0.25)),
    ];
    let post = sahel_experiments::posterior::Posterior {
        keys: vec!["mechanisms.m5_combat.lethality".into(), "mechanisms.m1_revolt.threshold".into()],
        rows: vec![(0.0, 1, vec![0.01, 0.3]), (0.0, 2, vec![0.2, 0.6]), (0.0, 3, vec![0.05, 0.45])],
    };
    let run = |threads: usize| {
        let post = post.clone();
        let coarse = coarse.clone();
        sahel_engine::schedule::with_threads(threads, move || {
            let b = base();
            ensemble::run(
                &b,
                &coarse,
                Some(&post),
                &[4, 5, 6, 7],
                sahel_mali::calendar::Date::parse("2013-06-30"),
                &|| {},
            )
            .unwrap()
            .into_iter()
            .map(|m| {
                (
                    m.particle,
                    m.outcome.series.all("Mali", "deaths").to_vec(),
                    m.outcome.series.all("Mali", "idps").to_vec(),
                )
            })
            .collect::<Vec<_>>()
        })
    };
    let one = run(1);
    assert_eq!(one, run(3));
    // the members drew particles keyed on their seeds
    assert!(one.iter().all(|m| m.0.is_some()));
}
