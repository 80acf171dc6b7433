//! `sahel calibrate`, `sahel validate` and `sahel forecast`: thin front ends
//! over `sahel-experiments`.

use crate::scenario::{self, InputError, Scenario};
use crate::Failure;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sahel_experiments::{abc, ensemble, model::Base, observed, posterior, validate};
use sahel_mali::calendar::Date;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A Mali scenario read, overridden and checked as `sahel run` does.
fn base(spec: &str, sets: &[String]) -> Result<(scenario::Source, Base, sahel_mali::scenario::Scenario), Failure> {
    let src = scenario::load(spec)?;
    let Scenario::Mali(sc) = scenario::parse(&src, sets)? else {
        return Err(InputError::new(format!(
            "{}: calibration, validation and forecasts apply to the Mali model",
            src.origin
        ))
        .into());
    };
    let mut table: toml::Table =
        toml::from_str(&src.text).map_err(|e| InputError::new(format!("{}: {e}", src.origin)))?;
    scenario::apply_sets(&mut table, sets)?;
    let base = Base { table };
    Ok((src, base, *sc))
}

fn bar(total: u64, quiet: bool, label: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(
        Some(total),
        if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() },
    );
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} runs, {elapsed} elapsed, eta {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    pb.set_message(label.to_string());
    pb
}

fn date(s: &str, flag: &str) -> Result<Date, InputError> {
    Date::parse(s).ok_or_else(|| InputError::new(format!("{flag} {s}: expected a date YYYY-MM-DD")))
}

fn read(path: &Path) -> Result<String, InputError> {
    std::fs::read_to_string(path).map_err(|e| InputError::new(format!("{}: cannot read: {e}", path.display())))
}

/// Write `text` to `path` atomically (a temporary sibling, then a rename).
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

fn observed_rows(path: Option<&PathBuf>) -> Result<(Vec<observed::Row>, String), Failure> {
    match path {
        None => Ok((observed::builtin(), observed::BUILTIN_ORIGIN.into())),
        Some(p) => {
            let origin = p.display().to_string();
            Ok((observed::parse(&read(p)?, &origin).map_err(InputError::new)?, origin))
        }
    }
}

pub fn load_posterior(path: &Path) -> Result<posterior::Posterior, InputError> {
    posterior::Posterior::parse(&read(path)?, &path.display().to_string()).map_err(InputError::new)
}

/// Round to `n` significant digits (for the values written into a scenario).
fn significant(v: f64, n: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let e = v.abs().log10().floor() as i32;
    let k = 10f64.powi(n - 1 - e);
    (v * k).round() / k
}

/// Replace the values of `keys` (`mechanisms.<table>.<field>`) in a scenario
/// file's text, keeping every other byte: the line `field = ...` inside the
/// table `[mechanisms.<table>]`.
pub fn rewrite_values(text: &str, keys: &[String], values: &[f64]) -> Result<String, String> {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for (key, &v) in keys.iter().zip(values) {
        let (table, field) = key.rsplit_once('.').ok_or_else(|| format!("`{key}`: expected TABLE.FIELD"))?;
        let header = format!("[{table}]");
        let start = lines.iter().position(|l| l.trim() == header).ok_or_else(|| format!("no table {header}"))?;
        let end = lines[start + 1..]
            .iter()
            .position(|l| l.trim_start().starts_with('['))
            .map_or(lines.len(), |i| start + 1 + i);
        let at = (start + 1..end)
            .find(|&i| lines[i].split('=').next().map(str::trim) == Some(field))
            .ok_or_else(|| format!("no `{field} =` in {header}"))?;
        lines[at] = format!("{field} = {:?}", significant(v, 6));
    }
    Ok(lines.join("\n") + if text.ends_with('\n') { "\n" } else { "" })
}

/// The text of the scenario file `path` (`--write-scenario`) with `keys` set
/// to `values`.
fn rewritten_scenario(path: &Path, keys: &[String], values: &[f64]) -> Result<String, InputError> {
    rewrite_values(&read(path)?, keys, values)
        .map_err(|e| InputError::new(format!("{} (--write-scenario): {e}", path.display())))
}

pub struct CalibrateArgs {
    pub scenario: String,
    pub sets: Vec<String>,
    pub priors: Option<PathBuf>,
    pub observed: Option<PathBuf>,
    pub particles: usize,
    pub generations: usize,
    pub keep: f64,
    pub min_acceptance: f64,
    pub replicates: usize,
    pub point_replicates: usize,
    pub point_by: abc::PointRule,
    pub seed: u64,
    pub fit_until: Option<String>,
    pub fit_control: bool,
    pub fit_combatants: bool,
    pub fit_surveys: bool,
    pub out: PathBuf,
    pub force: bool,
    pub write_scenario: Option<PathBuf>,
    pub point_from: Option<PathBuf>,
    pub quiet: bool,
}

pub fn calibrate(a: CalibrateArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let (src, base, sc) = base(&a.scenario, &a.sets)?;
    let (priors_text, priors_origin) = match &a.priors {
        None => (posterior::PRIORS.to_string(), "data/calibration/priors.toml".to_string()),
        Some(p) => (read(p)?, p.display().to_string()),
    };
    let priors = posterior::Priors::parse(&priors_text, &priors_origin).map_err(InputError::new)?;
    for p in &priors.parameter {
        base.with(&[(p.key.clone(), toml::Value::Float(p.value(0.5)))]).map_err(|e| {
            InputError::new(format!("{priors_origin}: `{}`: not a parameter of the scenario: {e}", p.key))
        })?;
    }
    let (rows, observed_origin) = observed_rows(a.observed.as_ref())?;
    let fit_until = match &a.fit_until {
        Some(d) => date(d, "--fit-until")?.to_string(),
        None => sc.end.to_string(),
    };
    let until = Date::parse(&fit_until).filter(|d| *d < sc.end);
    let mut targets = observed::targets(&rows, &fit_until);
    if targets.is_empty() {
        return Err(InputError::new(format!("--fit-until {fit_until}: no observed row ends by then")).into());
    }
    if a.fit_control {
        targets.extend(observed::control_targets(&observed::control_rows(), &fit_until));
    }
    if a.fit_combatants {
        targets.extend(observed::combatant_targets(&rows, &fit_until));
    }
    if a.fit_surveys {
        targets.extend(observed::survey_targets(&rows, &fit_until));
    }
    if !(0.0 < a.keep && a.keep < 1.0) || a.particles < 4 {
        return Err(InputError::new("expected --particles >= 4 and 0 < --keep < 1").into());
    }
    let post_path = a.out.join(if a.point_from.is_some() { "point.json" } else { "posterior.csv" });
    if post_path.exists() && !a.force {
        return Err(InputError::new(format!(
            "{}: exists; a calibration is never overwritten without --force",
            post_path.display()
        ))
        .into());
    }
    // the scenario to rewrite is checked now, not after hours of fitting
    if let Some(path) = &a.write_scenario {
        let lows: Vec<f64> = priors.parameter.iter().map(|p| p.lo).collect();
        rewritten_scenario(path, &priors.keys(), &lows)?;
    }
    let settings = abc::Settings {
        particles: a.particles,
        generations: a.generations,
        keep: a.keep,
        seed: a.seed,
        until,
        fit_until: fit_until.clone(),
        min_acceptance: a.min_acceptance,
        replicates: a.replicates,
    };
    if let Some(from) = &a.point_from {
        return repick_point(&a, from, &base, &targets, &rows, &settings, &post_path, started);
    }
    let pb = bar(abc::budget(&settings), a.quiet, "calibrate");
    let tick = || pb.inc(1);
    let fit = abc::calibrate(&base, &priors.parameter, &targets, &rows, &settings, &tick).map_err(Failure::Run)?;
    pb.finish_and_clear();
    let (point, rule, means) = if a.point_replicates == 0 {
        (
            fit.posterior.point(&priors.parameter),
            "the medoid: the particle nearest the componentwise posterior median in prior-quantile units".to_string(),
            Vec::new(),
        )
    } else {
        let pb = bar(abc::replicate_budget(&fit.posterior, a.point_replicates), a.quiet, "point estimate");
        let tick = || pb.inc(1);
        let (point, means) = abc::point_by_replicates(
            &base,
            &targets,
            &rows,
            &fit.posterior,
            a.point_replicates,
            a.point_by,
            &settings,
            &tick,
        )
        .map_err(Failure::Run)?;
        pb.finish_and_clear();
        (point, replicates_rule(a.point_replicates, a.point_by, &settings.fit_until), means)
    };
    let meta = serde_json::json!({
        "sahel_version": env!("CARGO_PKG_VERSION"),
        "scenario": sc.name,
        "scenario_origin": src.origin,
        "overrides": a.sets,
        "method": format!(
            "SMC-ABC with replenishment (Drovandi & Pettitt 2011): {}, Gaussian moves in prior-quantile space",
            if a.replicates <= 1 {
                "one simulation per particle".to_string()
            } else {
                format!("a particle's distance is the mean over {} simulations", a.replicates)
            }
        ),
        "settings": settings,
        "priors_origin": priors_origin,
        "priors": priors.parameter,
        "observed_origin": observed_origin,
        "targets": targets,
        "generations": fit.generations,
        "simulations": fit.simulations,
        "final_tolerance": fit.generations.last().map(|g| g.tolerance),
        "point_estimate": point_json(&fit.posterior, point, &rule, &means),
        "wall_seconds": started.elapsed().as_secs_f64(),
    });
    let io = |e: std::io::Error| Failure::Run(format!("writing the calibration: {e}"));
    write_atomic(&post_path, &fit.posterior.to_csv()).map_err(io)?;
    write_atomic(&a.out.join("calibration.json"), &(serde_json::to_string_pretty(&meta).expect("json") + "\n"))
        .map_err(io)?;
    if let Some(path) = &a.write_scenario {
        let new = rewritten_scenario(path, &fit.posterior.keys, &fit.posterior.rows[point].2)?;
        write_atomic(path, &new).map_err(io)?;
    }
    if !a.quiet {
        for g in &fit.generations {
            eprintln!(
                "generation {:2}: tolerance {:.3}, accepted {:3}/{:3}, best {:.3}, median {:.3}",
                g.generation, g.tolerance, g.accepted, g.proposed, g.best, g.median
            );
        }
        eprintln!(
            "{} simulations in {:.0} s; point estimate (particle {point}):",
            fit.simulations,
            started.elapsed().as_secs_f64()
        );
        print_values(&fit.posterior, point);
        println!("{}", post_path.display());
    }
    Ok(())
}

fn replicates_rule(replicates: usize, by: abc::PointRule, fit_until: &str) -> String {
    match by {
        abc::PointRule::Distance => {
            format!("the distinct particle with the lowest mean distance over {replicates} fresh model seeds")
        }
        abc::PointRule::Patterns => format!(
            "pattern-oriented: over {replicates} fresh model seeds, the distinct particle whose least-often-holding \
             pattern of {} holds in the most seeds, then the most seed-passes over them, then the lowest mean distance",
            abc::patterns_decided_by(fit_until).join(", ")
        ),
    }
}

/// The point estimate as `calibration.json` and `point.json` record it.
fn point_json(post: &posterior::Posterior, point: usize, rule: &str, means: &[abc::Candidate]) -> serde_json::Value {
    serde_json::json!({
        "rule": rule,
        "particle": point,
        "mean_distances": means,
        "values": post.keys.iter().zip(&post.rows[point].2).map(|(k, v)| (k.clone(), *v)).collect::<std::collections::BTreeMap<_, _>>(),
        "distance": post.rows[point].0,
    })
}

fn print_values(post: &posterior::Posterior, point: usize) {
    for (k, v) in post.keys.iter().zip(&post.rows[point].2) {
        eprintln!("  {k} = {v:.4e}");
    }
}

/// `sahel calibrate --point-from`: choose the point estimate again from an
/// existing posterior by `--point-replicates` fresh seeds a distinct particle
/// (the seeds `sahel calibrate` would use with the same `--seed`), without
/// fitting; writes `point.json` (the rule, every distinct particle's mean
/// distance, the values) and the scenario, never the posterior.
#[allow(clippy::too_many_arguments)]
fn repick_point(
    a: &CalibrateArgs,
    from: &Path,
    base: &Base,
    targets: &[observed::Target],
    rows: &[observed::Row],
    settings: &abc::Settings,
    out: &Path,
    started: Instant,
) -> Result<(), Failure> {
    let post = load_posterior(from)?;
    if post.rows.is_empty() || a.point_replicates == 0 {
        return Err(InputError::new(format!(
            "--point-from {}: expected a posterior with particles and --point-replicates >= 1",
            from.display()
        ))
        .into());
    }
    let pb = bar(abc::replicate_budget(&post, a.point_replicates), a.quiet, "point estimate");
    let tick = || pb.inc(1);
    let (point, means) =
        abc::point_by_replicates(base, targets, rows, &post, a.point_replicates, a.point_by, settings, &tick)
            .map_err(Failure::Run)?;
    pb.finish_and_clear();
    let meta = serde_json::json!({
        "sahel_version": env!("CARGO_PKG_VERSION"),
        "posterior": from.display().to_string(),
        "targets": targets.len(),
        "settings": settings,
        "point_estimate": point_json(
            &post,
            point,
            &replicates_rule(a.point_replicates, a.point_by, &settings.fit_until),
            &means,
        ),
        "wall_seconds": started.elapsed().as_secs_f64(),
    });
    let io = |e: std::io::Error| Failure::Run(format!("writing the point estimate: {e}"));
    if let Some(path) = &a.write_scenario {
        let new = rewritten_scenario(path, &post.keys, &post.rows[point].2)?;
        write_atomic(path, &new).map_err(io)?;
    }
    write_atomic(out, &(serde_json::to_string_pretty(&meta).expect("json") + "\n")).map_err(io)?;
    if !a.quiet {
        eprintln!("point estimate (particle {point}) over {} seeds:", a.point_replicates);
        print_values(&post, point);
        println!("{}", out.display());
    }
    Ok(())
}

pub struct EnsembleArgs {
    pub scenario: String,
    pub sets: Vec<String>,
    pub seeds: u64,
    pub first_seed: u64,
    pub posterior: Option<PathBuf>,
    pub quiet: bool,
}

fn seeds(a: &EnsembleArgs) -> Result<Vec<u64>, InputError> {
    if a.seeds == 0 {
        return Err(InputError::new("--seeds: expected at least 1"));
    }
    Ok((a.first_seed..a.first_seed + a.seeds).collect())
}

pub fn validate(
    a: EnsembleArgs,
    ablate: Vec<String>,
    origin: Option<String>,
    observed: Option<PathBuf>,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    let (_src, base, sc) = base(&a.scenario, &a.sets)?;
    let post = a.posterior.as_deref().map(load_posterior).transpose()?;
    let ablate: Vec<String> =
        ablate.iter().flat_map(|s| s.split(',')).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let sets = ensemble::ablation(&ablate).map_err(|e| InputError::new(format!("--ablate: {e}")))?;
    let origin = origin.map(|o| date(&o, "--origin").map(|d| d.to_string())).transpose()?;
    let (rows, _) = observed_rows(observed.as_ref())?;
    let seeds = seeds(&a)?;
    let dir = crate::output::OutDir::claim(out, &format!("validation-{}", sc.name), seeds[0])?;
    let pb = bar(seeds.len() as u64, a.quiet, "validate");
    let tick = || pb.inc(1);
    let members = ensemble::run(&base, &sets, post.as_ref(), &seeds, None, &tick).map_err(Failure::Run)?;
    pb.finish_and_clear();
    let v = validate::validate(
        &sc.name,
        &members,
        &rows,
        a.posterior.as_ref().map(|p| p.display().to_string()),
        ablate,
        origin.as_deref(),
        &sc.end.to_string(),
    );
    let mut json = serde_json::to_value(&v).expect("json");
    json["sahel_version"] = env!("CARGO_PKG_VERSION").into();
    json["overrides"] = serde_json::to_value(&a.sets).expect("json");
    let md = validate::markdown(&v);
    let path = dir
        .commit(&[
            ("validation.json", serde_json::to_string_pretty(&json).expect("json") + "\n"),
            ("validation.md", md),
        ])
        .map_err(|e| Failure::Run(format!("writing outputs: {e}")))?;
    if !a.quiet {
        for p in &v.patterns {
            println!(
                "{} {:5} in {:2}/{} seeds  {}",
                p.id,
                if p.holds { "holds" } else { "fails" },
                p.holds_in,
                p.of,
                p.criterion
            );
        }
        let checked: Vec<_> = v.rows.iter().filter(|r| r.inside.is_some()).collect();
        println!(
            "observed rows inside the ensemble's 90 % band: {}/{} (of {} rows; the rest have no counterpart)",
            checked.iter().filter(|r| r.inside == Some(true)).count(),
            checked.len(),
            v.rows.len()
        );
        println!(
            "calibration distance (--fit-combatants, {} targets): mean {:.3} over {} seeds",
            v.distance.targets,
            v.distance.mean,
            v.distance.per_seed.len()
        );
        if let Some(h) = &v.holdout {
            println!(
                "held out after {}: mean |log10 error| model {:.3}, persistence {:.3}, linear trend {:.3} ({} rows)",
                h.origin, h.mae_log10[0], h.mae_log10[1], h.mae_log10[2], h.covered
            );
        }
        println!("{}", path.display());
    }
    Ok(())
}

pub fn forecast(a: EnsembleArgs, until: String, out: PathBuf) -> Result<(), Failure> {
    let started = Instant::now();
    let (src, base, sc) = base(&a.scenario, &a.sets)?;
    let until = date(&until, "--until")?;
    if until <= sc.end {
        return Err(
            InputError::new(format!("--until {until}: a forecast runs past the scenario's end {}", sc.end)).into()
        );
    }
    if out.exists() {
        return Err(InputError::new(format!("{}: exists; a forecast is never overwritten", out.display())).into());
    }
    let post = a.posterior.as_deref().map(load_posterior).transpose()?;
    let seeds = seeds(&a)?;
    let pb = bar(seeds.len() as u64, a.quiet, "forecast");
    let tick = || pb.inc(1);
    let members = ensemble::run(&base, &[], post.as_ref(), &seeds, Some(until), &tick).map_err(Failure::Run)?;
    pb.finish_and_clear();
    let first = sc.end.year() as i32 + 1;
    let csv = validate::forecast_csv(&members, first..=until.year() as i32);
    let meta = serde_json::json!({
        "sahel_version": env!("CARGO_PKG_VERSION"),
        "scenario": sc.name,
        "scenario_origin": src.origin,
        "overrides": a.sets,
        "posterior": a.posterior.as_ref().map(|p| p.display().to_string()),
        "particles": members.iter().map(|m| m.particle).collect::<Vec<_>>(),
        "seeds": seeds,
        "from": sc.end.to_string(),
        "until": until.to_string(),
        "assumptions": "status quo: no event after the scenario's end; money flows, relations and foreign deployments held at their last values; Malian forces keep evolving through the mechanisms; no observation after the scenario's end informs the model, its parameters or its inputs",
        "wall_seconds": started.elapsed().as_secs_f64(),
    });
    let io = |e: std::io::Error| Failure::Run(format!("writing the forecast: {e}"));
    write_atomic(&out.with_extension("json"), &(serde_json::to_string_pretty(&meta).expect("json") + "\n"))
        .map_err(io)?;
    write_atomic(&out, &csv).map_err(io)?;
    if !a.quiet {
        println!("{}", out.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_rewritten_in_place() {
        let text =
            "[mechanisms.m5_combat]\nlethality = 0.05 # x\nother = 1\n\n[mechanisms.m4_control]\nlethality = 3\n";
        let new = rewrite_values(text, &["mechanisms.m5_combat.lethality".into()], &[0.0123456789]).unwrap();
        assert_eq!(
            new,
            "[mechanisms.m5_combat]\nlethality = 0.0123457\nother = 1\n\n[mechanisms.m4_control]\nlethality = 3\n"
        );
        assert!(rewrite_values(text, &["mechanisms.m9.x".into()], &[1.0]).is_err());
        assert!(rewrite_values(text, &["mechanisms.m5_combat.nope".into()], &[1.0]).is_err());
    }

    #[test]
    fn significant_digits() {
        assert_eq!(significant(0.000123456789, 3), 0.000123);
        assert_eq!(significant(98765.0, 2), 99000.0);
    }
}
