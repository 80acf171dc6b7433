//! `sahel`: the command-line front end. Thin: it reads scenarios, runs them with
//! the model crates and writes outputs. Exit codes: 0 success, 2 bad input,
//! 1 failure while running.

mod experiments;
mod mali;
mod output;
mod scenario;

use clap::{Parser, Subcommand};
use scenario::{InputError, Scenario};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// The scenario `sahel run` runs when none is named.
const DEFAULT_SCENARIO: &str = "mali-2012";

#[derive(Parser)]
#[command(
    name = "sahel",
    version,
    about = "Fast, reproducible agent-based simulation of insurgency and civil violence"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario (a built-in name or a .toml file) and write its outputs.
    Run {
        /// Built-in scenario name or path to a .toml file.
        scenario: Option<String>,
        /// Random seed (default: the scenario's `seed`).
        #[arg(long)]
        seed: Option<u64>,
        /// Number of steps (default: the Epstein scenario's `steps`; the Mali scenario's span).
        #[arg(long)]
        steps: Option<u64>,
        /// Worker threads for the parallel scheduler (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Output folder (must not exist or be empty; default: out/NAME-seedN).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override a scenario parameter, e.g. --set legitimacy=0.8 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// Mali model: run on to this date (YYYY-MM-DD); past the scenario's end
        /// this is a forecast under the status quo (last forces, money and
        /// relations held, no new events).
        #[arg(long)]
        until: Option<String>,
        /// Mali model: draw the run's calibrated parameters from this posterior
        /// sample (data/calibration/posterior.csv), the particle keyed on the seed.
        #[arg(long)]
        posterior: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Fit a Mali scenario's free parameters (data/calibration/priors.toml) to the
    /// observed series by SMC-ABC; writes posterior.csv and calibration.json.
    Calibrate {
        /// Built-in scenario name or path to a .toml file (default: mali-2012).
        scenario: Option<String>,
        /// Priors file (default: the shipped data/calibration/priors.toml).
        #[arg(long)]
        priors: Option<PathBuf>,
        /// Observed series (default: the shipped data/mali/observed-2012-2017.csv and foreign-losses-2013-2017.csv).
        #[arg(long)]
        observed: Option<PathBuf>,
        /// Particles in the population.
        #[arg(long, default_value_t = 96)]
        particles: usize,
        /// Most generations after the first.
        #[arg(long, default_value_t = 10)]
        generations: usize,
        /// Share of particles kept each generation.
        #[arg(long, default_value_t = 0.5)]
        keep: f64,
        /// Stop when a generation accepts fewer than this share of its moves.
        #[arg(long, default_value_t = 0.1)]
        min_acceptance: f64,
        /// Simulations per particle: its distance is the mean over this many
        /// model seeds (1: a single run).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100))]
        replicates: u64,
        /// The point estimate is the distinct particle with the lowest mean
        /// distance over this many fresh seeds; 0: the medoid instead.
        #[arg(long, default_value_t = 5)]
        point_replicates: usize,
        /// How the point estimate is chosen among the distinct particles over
        /// --point-replicates seeds: `distance` (the lowest mean distance) or
        /// `patterns` (the brief's patterns decided by the fit's end: the one
        /// whose least-held pattern holds in the most seeds, then the most
        /// seed-passes, then the distance).
        #[arg(long, default_value = "distance", value_parser = ["distance", "patterns"])]
        point_by: String,
        /// Seed of the calibration's own draws (the runs get their own seeds).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Fit only observations that end by this date, and stop runs there
        /// (the rolling-origin check: --fit-until 2015-12-31).
        #[arg(long)]
        fit_until: Option<String>,
        /// Also fit who held the northern capitals, 2012-2014
        /// (data/mali/control-2012-2014.csv); P1-P3 are then in-sample.
        #[arg(long)]
        fit_control: bool,
        /// Also fit the combatants killed in early 2013 as lower bounds
        /// (data/mali/combatant-losses-2013.csv: the Malian army's estimate).
        #[arg(long)]
        fit_combatants: bool,
        /// Also fit the surveys of trust in the government or the president
        /// that have a counterpart (Gao, Kidal, the country; 2014-2016).
        #[arg(long)]
        fit_surveys: bool,
        /// Output folder for posterior.csv and calibration.json.
        #[arg(long, default_value = "data/calibration")]
        out: PathBuf,
        /// Replace an existing posterior.csv in --out.
        #[arg(long)]
        force: bool,
        /// Write the point estimate into this scenario file (its values only).
        #[arg(long)]
        write_scenario: Option<PathBuf>,
        /// Do not fit: choose the point estimate again from this posterior.csv
        /// (with --point-replicates seeds a distinct particle) and write
        /// point.json in --out; the posterior is not rewritten.
        #[arg(long)]
        point_from: Option<PathBuf>,
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        #[arg(long, short)]
        quiet: bool,
    },
    /// Run an ensemble of a Mali scenario and score it: patterns P1-P7 and the check S1 (share of
    /// seeds), every observed row against the ensemble's median and 90 % band.
    Validate {
        scenario: Option<String>,
        /// Number of seeds.
        #[arg(long, default_value_t = 20)]
        seeds: u64,
        /// The first seed; the ensemble uses FIRST..FIRST+SEEDS.
        #[arg(long, default_value_t = 1)]
        first_seed: u64,
        /// Draw each member's calibrated parameters from this posterior sample.
        #[arg(long)]
        posterior: Option<PathBuf>,
        /// Switch mechanisms off, e.g. --ablate m2,m3,m4,m5 (events are kept).
        #[arg(long)]
        ablate: Vec<String>,
        /// Also score the observations after this date against persistence and
        /// linear-trend baselines (the rolling-origin check).
        #[arg(long)]
        origin: Option<String>,
        #[arg(long)]
        observed: Option<PathBuf>,
        /// Output folder (must not exist or be empty; default out/validation-NAME-seedN).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        #[arg(long, short)]
        quiet: bool,
    },
    /// Forecast past a Mali scenario's end under the status quo: an ensemble's
    /// yearly median and 50 %/90 % intervals, as CSV (never overwritten).
    Forecast {
        scenario: Option<String>,
        /// Run on to this date (YYYY-MM-DD).
        #[arg(long)]
        until: String,
        #[arg(long, default_value_t = 50)]
        seeds: u64,
        #[arg(long, default_value_t = 1)]
        first_seed: u64,
        #[arg(long)]
        posterior: Option<PathBuf>,
        /// The CSV to write (its metadata goes beside it, as .json).
        #[arg(long)]
        out: PathBuf,
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        #[arg(long, short)]
        quiet: bool,
    },
    /// List the built-in scenarios, one per line, name first.
    Scenarios,
    /// Validate a scenario file without running it.
    Check {
        file: String,
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
    },
    /// Print a built-in scenario as the TOML file it is equivalent to.
    Show { name: String },
    /// Score the brief's patterns P1–P7 (and the supplementary check S1) on a Mali run's output folder.
    Patterns { dir: PathBuf },
}

pub(crate) enum Failure {
    Input(InputError),
    Run(String),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Run(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(cmd: Command) -> Result<(), Failure> {
    match cmd {
        Command::Scenarios => {
            for (name, text) in scenario::builtins() {
                println!("{name}\t{}", scenario::description(text));
            }
            Ok(())
        }
        Command::Show { name } => {
            let Some((_, text)) = scenario::builtins().into_iter().find(|(n, _)| *n == name) else {
                return Err(scenario::load(&name)
                    .err()
                    .unwrap_or_else(|| {
                        InputError::new(format!(
                            "`{name}` is a file, not a built-in scenario; `sahel show` prints built-ins"
                        ))
                    })
                    .into());
            };
            print!("{text}");
            Ok(())
        }
        Command::Patterns { dir } => {
            let read = |f: &str| {
                std::fs::read_to_string(dir.join(f))
                    .map_err(|e| InputError::new(format!("{}: cannot read: {e}", dir.join(f).display())))
            };
            let series = sahel_mali::patterns::Series::parse(&read("series.csv")?)
                .map_err(|e| InputError::new(format!("{}: {e}", dir.display())))?;
            let run: serde_json::Value = serde_json::from_str(&read("run.json")?)
                .map_err(|e| InputError::new(format!("{}/run.json: {e}", dir.display())))?;
            let kinds: std::collections::BTreeMap<String, String> = run["actors"]
                .as_array()
                .ok_or_else(|| InputError::new(format!("{}/run.json: no `actors` (not a Mali run?)", dir.display())))?
                .iter()
                .filter_map(|a| Some((a["name"].as_str()?.to_string(), a["kind"].as_str()?.to_string())))
                .collect();
            for v in sahel_mali::patterns::score(&series, &kinds) {
                println!("{} {:5} {}\n      {}", v.id, if v.holds { "holds" } else { "fails" }, v.criterion, v.detail);
            }
            Ok(())
        }
        Command::Check { file, sets } => {
            let src = scenario::load(&file)?;
            let sc = scenario::parse(&src, &sets)?;
            println!("ok: {} ({})", src.origin, sc.name());
            Ok(())
        }
        Command::Calibrate {
            scenario,
            priors,
            observed,
            particles,
            generations,
            keep,
            min_acceptance,
            replicates,
            point_replicates,
            point_by,
            seed,
            fit_until,
            fit_control,
            fit_combatants,
            fit_surveys,
            out,
            force,
            write_scenario,
            point_from,
            sets,
            quiet,
        } => experiments::calibrate(experiments::CalibrateArgs {
            scenario: scenario.unwrap_or_else(|| DEFAULT_SCENARIO.to_string()),
            sets,
            priors,
            observed,
            particles,
            generations,
            keep,
            min_acceptance,
            replicates: replicates as usize,
            point_replicates,
            point_by: if point_by == "patterns" {
                sahel_experiments::abc::PointRule::Patterns
            } else {
                sahel_experiments::abc::PointRule::Distance
            },
            seed,
            fit_until,
            fit_control,
            fit_combatants,
            fit_surveys,
            out,
            force,
            write_scenario,
            point_from,
            quiet,
        }),
        Command::Validate { scenario, seeds, first_seed, posterior, ablate, origin, observed, out, sets, quiet } => {
            experiments::validate(
                experiments::EnsembleArgs {
                    scenario: scenario.unwrap_or_else(|| DEFAULT_SCENARIO.to_string()),
                    sets,
                    seeds,
                    first_seed,
                    posterior,
                    quiet,
                },
                ablate,
                origin,
                observed,
                out,
            )
        }
        Command::Forecast { scenario, until, seeds, first_seed, posterior, out, sets, quiet } => experiments::forecast(
            experiments::EnsembleArgs {
                scenario: scenario.unwrap_or_else(|| DEFAULT_SCENARIO.to_string()),
                sets,
                seeds,
                first_seed,
                posterior,
                quiet,
            },
            until,
            out,
        ),
        Command::Run { scenario, seed, steps, threads, out, mut sets, until, posterior, quiet } => {
            let spec = scenario.unwrap_or_else(|| DEFAULT_SCENARIO.to_string());
            let src = scenario::load(&spec)?;
            if let Some(path) = &posterior {
                // the particle keyed on the run's seed, as overrides recorded in run.json
                let post = experiments::load_posterior(path)?;
                let Scenario::Mali(sc) = scenario::parse(&src, &sets)? else {
                    return Err(InputError::new("--posterior applies to the Mali model").into());
                };
                let i = post.draw(seed.unwrap_or(sc.seed));
                for (k, v) in post.keys.iter().zip(&post.rows[i].2) {
                    sets.push(format!("{k}={v:?}"));
                }
            }
            let sc = scenario::parse(&src, &sets)?;
            let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            if threads == 0 || threads > 1024 {
                return Err(InputError::new(format!("--threads: expected 1 to 1024, found {threads}")).into());
            }
            match sc {
                Scenario::Epstein(params) => {
                    if until.is_some() {
                        return Err(InputError::new(
                            "--until applies to the Mali model; use --steps for Epstein scenarios",
                        )
                        .into());
                    }
                    run_epstein(&src, *params, seed, steps, threads, out, &sets, quiet)
                }
                Scenario::Mali(sc) => {
                    let until = match until {
                        Some(u) => Some(
                            sahel_mali::calendar::Date::parse(&u)
                                .ok_or_else(|| InputError::new(format!("--until {u}: expected a date YYYY-MM-DD")))?,
                        ),
                        None => None,
                    };
                    mali::run(&src, *sc, mali::Options { seed, steps, threads, out, sets: sets.clone(), until, quiet })
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn run_epstein(
    src: &scenario::Source,
    params: sahel_epstein::Params,
    seed: Option<u64>,
    steps: Option<u64>,
    threads: usize,
    out: Option<PathBuf>,
    sets: &[String],
    quiet: bool,
) -> Result<(), Failure> {
    let started = Instant::now();
    let seed = seed.unwrap_or(params.seed);
    let steps = steps.unwrap_or(params.steps);
    let name = if params.name.is_empty() { "scenario".to_string() } else { params.name.clone() };
    let out = output::OutDir::claim(out, &name, seed)?;
    let loop_start = Instant::now();
    let series = {
        let p = params.clone();
        sahel_engine::schedule::with_threads(threads, move || sahel_epstein::run(&p, seed, steps, |_| {}))
    };
    let agents = series.agents;
    let step_loop = loop_start.elapsed().as_secs_f64();
    let resolved = serde_json::json!({
        "params": params,
        "rules": params.rules(),
    });
    let run = serde_json::json!({
        "sahel_version": env!("CARGO_PKG_VERSION"),
        "scenario": params.name,
        "scenario_origin": src.origin,
        "overrides": sets,
        "model": "epstein",
        "seed": seed,
        "steps": steps,
        "scheduler": params.scheduler.name(),
        "threads": threads,
        "agents": agents,
        "resolved_scenario": resolved,
        "step_loop_seconds": step_loop,
        "wall_seconds": started.elapsed().as_secs_f64(),
    });
    let files = [
        ("series.csv", series.to_csv()),
        ("scenario.toml", src.text.clone()),
        ("run.json", serde_json::to_string_pretty(&run).expect("json") + "\n"),
    ];
    let dir = out.commit(&files).map_err(|e| Failure::Run(format!("writing outputs: {e}")))?;
    if !quiet {
        let last = series.rows.last().map(|r| r.2).unwrap_or_default();
        eprintln!(
            "{name}: {steps} steps, {agents} agents, seed {seed}, {} scheduler on {threads} thread(s): {:.3} s ({:.3e} agent-steps/s)",
            params.scheduler.name(),
            step_loop,
            (agents as f64 * steps as f64) / step_loop.max(1e-9)
        );
        eprintln!("final: quiet {} active {} jailed {}", last.quiet, last.active, last.jailed);
        println!("{}", dir.display());
    }
    Ok(())
}
