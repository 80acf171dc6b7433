//! Same scenario + seed ⇒ bit-identical output, whatever the thread count.
mod common;
use common::{run, scenario};
use sahel_engine::schedule::with_threads;

fn csv_at(threads: usize, name: &str, overrides: &[(&str, &str)], steps: u64) -> String {
    let p = scenario(name, overrides);
    with_threads(threads, || run(&p, 42, steps).to_csv())
}

#[test]
fn parallel_scheduler_is_identical_at_1_3_16_threads() {
    for (name, steps) in [("epstein-run2", 150), ("epstein-mesa", 150), ("epstein-run8", 100)] {
        let o = [("scheduler", "\"parallel\"")];
        let one = csv_at(1, name, &o, steps);
        assert_eq!(one, csv_at(3, name, &o, steps), "{name} 1 vs 3 threads");
        assert_eq!(one, csv_at(16, name, &o, steps), "{name} 1 vs 16 threads");
    }
}

#[test]
fn parallel_scheduler_is_identical_across_threads_at_scale() {
    // big enough that every phase really splits across threads
    let o = [
        ("scheduler", "\"parallel\""),
        ("width", "300"),
        ("height", "300"),
        ("cop_density", "0.04"),
        ("legitimacy", "0.82"),
        ("max_jail_term", "30"),
    ];
    let one = csv_at(1, "epstein-mesa", &o, 20);
    assert_eq!(one, csv_at(3, "epstein-mesa", &o, 20));
    assert_eq!(one, csv_at(16, "epstein-mesa", &o, 20));
}

#[test]
fn sequential_ignores_threads_and_seeds_matter() {
    let a = csv_at(1, "epstein-run2", &[], 200);
    assert_eq!(a, csv_at(16, "epstein-run2", &[], 200));
    let p = scenario("epstein-run2", &[]);
    assert_ne!(a, run(&p, 43, 200).to_csv());
}
