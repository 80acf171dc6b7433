//! Ensembles: one scenario over many seeds, each member optionally drawing its
//! parameters from a posterior, run in parallel and gathered in seed order.

use crate::model::{simulate, Base, Outcome};
use crate::posterior::Posterior;
use rayon::prelude::*;
use sahel_mali::calendar::Date;

/// One member's result and the posterior particle it used, if any.
pub struct Member {
    pub outcome: Outcome,
    pub particle: Option<usize>,
}

/// Run `seeds` of `base` with `sets` applied (then the member's posterior
/// particle, when `posterior` is given), to `until`. `tick` is called after
/// each member (from any thread).
pub fn run(
    base: &Base,
    sets: &[(String, toml::Value)],
    posterior: Option<&Posterior>,
    seeds: &[u64],
    until: Option<Date>,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Member>, String> {
    seeds
        .par_iter()
        .map(|&seed| {
            let mut all = sets.to_vec();
            let particle = posterior.map(|p| p.draw(seed));
            if let (Some(p), Some(i)) = (posterior, particle) {
                all.extend(p.sets(i));
            }
            let sc = base.with(&all)?;
            let outcome = simulate(sc, seed, until)?;
            tick();
            Ok(Member { outcome, particle })
        })
        .collect()
}

/// The overrides that switch mechanisms off: `m2` or `m2_services` →
/// `mechanisms.m2_services.enabled = false`.
pub fn ablation(names: &[String]) -> Result<Vec<(String, toml::Value)>, String> {
    // every mechanism with a switch (M9 has none: it changes relations only by
    // scripted events unless `endogenous`)
    const ALL: [&str; 10] = [
        "m1_revolt",
        "m2_services",
        "m3_recruitment",
        "m4_control",
        "m5_combat",
        "m6_money",
        "m7_accord",
        "m8_displacement",
        "m10_strategy",
        "m11_communal",
    ];
    names
        .iter()
        .map(|n| {
            let n = n.trim();
            let full = ALL
                .iter()
                .find(|m| **m == n || m.split('_').next() == Some(n))
                .ok_or_else(|| format!("`{n}`: expected a mechanism m1..m11 with a switch (m9 has none)"))?;
            Ok((format!("mechanisms.{full}.enabled"), toml::Value::Boolean(false)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ablation_names() {
        let s = super::ablation(&["m2".into(), "m5_combat".into()]).unwrap();
        assert_eq!(s[0].0, "mechanisms.m2_services.enabled");
        assert_eq!(s[1].0, "mechanisms.m5_combat.enabled");
        assert!(super::ablation(&["m12".into()]).is_err());
        assert!(super::ablation(&["m9".into()]).is_err());
        assert!(super::ablation(&["m1".into()]).unwrap()[0].0.ends_with("m1_revolt.enabled"));
    }
}
