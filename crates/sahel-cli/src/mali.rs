//! `sahel run` for the Mali model.

use crate::output::OutDir;
use crate::scenario::{InputError, Source};
use crate::Failure;
use sahel_mali::calendar::Date;
use sahel_mali::world::World;
use std::path::PathBuf;
use std::time::Instant;

pub struct Options {
    pub seed: Option<u64>,
    pub steps: Option<u64>,
    pub threads: usize,
    pub out: Option<PathBuf>,
    pub sets: Vec<String>,
    pub until: Option<Date>,
    pub quiet: bool,
}

pub fn run(src: &Source, sc: sahel_mali::scenario::Scenario, o: Options) -> Result<(), Failure> {
    let started = Instant::now();
    let seed = o.seed.unwrap_or(sc.seed);
    let end = sc.end;
    let mut until = o.until.unwrap_or(end);
    if until < sc.start {
        return Err(InputError::new(format!("--until {until}: expected a date after the start {}", sc.start)).into());
    }
    if let Some(n) = o.steps {
        let clock = sahel_mali::calendar::Clock { start: sc.start, step_days: sc.step_days };
        until = until.min(clock.date(n.max(1)).add_days(-1));
    }
    let forecast = until > end;
    let name = sc.name.clone();
    let out = OutDir::claim(o.out, &name, seed)?;
    let resolved = serde_json::to_value(&sc).expect("a scenario serialises");
    let threads = o.threads;
    let quiet = o.quiet;
    let label = name.clone();
    let (rec, world_info) = sahel_engine::schedule::with_threads(threads, move || -> Result<_, String> {
        let mut w = World::new(sc, seed).map_err(|e| format!("`{}`: {}", e.key, e.message))?;
        w.dyn_.hold_after_end = forecast;
        let agents = w.agents();
        let actors: Vec<serde_json::Value> =
            w.actors.iter().map(|a| serde_json::json!({"name": a.name, "kind": a.kind})).collect();
        let loop_start = Instant::now();
        let rec = sahel_mali::output::run(&mut w, until, |step, total| {
            if !quiet && step % 52 == 0 {
                eprint!("\r{label}: week {step}/{total}");
            }
        });
        if !quiet {
            eprintln!();
        }
        let report = sahel_mali::report::html(&w, &rec);
        Ok((rec, (agents, actors, loop_start.elapsed().as_secs_f64(), report, w.step)))
    })
    .map_err(|m| Failure::Input(InputError::new(format!("{}: {m}", src.origin))))?;
    let (agents, actors, step_loop, report, steps) = world_info;
    let run = serde_json::json!({
        "sahel_version": env!("CARGO_PKG_VERSION"),
        "model": "mali",
        "scenario": name,
        "scenario_origin": src.origin,
        "overrides": o.sets,
        "seed": seed,
        "steps": steps,
        "until": until.to_string(),
        "forecast": if forecast {
            serde_json::json!({"from": end.to_string(), "to": until.to_string(),
                "assumptions": "status quo: no new events and no parameter changed; money flows running to the scenario's end, relations and foreign deployments are held at their last values; Malian forces keep evolving through the mechanisms"})
        } else { serde_json::Value::Null },
        "scheduler": "synchronous mechanisms; civilians decide in parallel from per-cell counts",
        "threads": threads,
        "agents": agents,
        "people_per_agent": resolved["people_per_agent"],
        "actors": actors,
        "resolved_scenario": resolved,
        "step_loop_seconds": step_loop,
        "wall_seconds": started.elapsed().as_secs_f64(),
    });
    let summary = serde_json::json!({
        "scenario": name,
        "seed": seed,
        "deaths_by_year": rec.yearly_deaths.iter().map(|(y, d)| serde_json::json!({"year": y, "deaths": d})).collect::<Vec<_>>(),
        "killed_by_year": rec.dyads_by_year.iter().map(|((y, v, k), p)| serde_json::json!({"year": y, "victim": v, "killer": k, "persons": p})).collect::<Vec<_>>(),
        "caveat": "The model compares scenarios under stated assumptions; it is not an oracle. Its numbers are conditional on its mechanisms and parameters.",
    });
    let files = [
        ("series.csv", rec.csv),
        ("dyads.csv", rec.dyads),
        ("scenario.toml", src.text.clone()),
        ("run.json", serde_json::to_string_pretty(&run).expect("json") + "\n"),
        ("summary.json", serde_json::to_string_pretty(&summary).expect("json") + "\n"),
        ("report.html", report),
    ];
    let dir = out.commit(&files).map_err(|e| Failure::Run(format!("writing outputs: {e}")))?;
    if !quiet {
        eprintln!("{name}: {steps} weeks, {agents} agents, seed {seed}, {threads} thread(s): {step_loop:.2} s");
        println!("{}", dir.display());
    }
    Ok(())
}
