//! The command-line contract, driven through the real binary.
use std::path::PathBuf;
use std::process::Command;

fn sahel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sahel"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sahel-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn run_writes_series_and_run_json() {
    let d = tmp("run");
    let out = d.join("o");
    let st = sahel()
        .args(["run", "epstein-mesa", "--seed", "5", "--steps", "20", "--threads", "2", "--out"])
        .arg(&out)
        .args(["--set", "legitimacy=0.82"])
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let csv = std::fs::read_to_string(out.join("series.csv")).unwrap();
    assert!(csv.starts_with("step,quiet,active,jailed"));
    assert_eq!(csv.lines().count(), 22); // header + steps 0..=20
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["seed"], 5);
    assert_eq!(run["steps"], 20);
    assert_eq!(run["threads"], 2);
    assert_eq!(run["scheduler"], "sequential");
    assert_eq!(run["resolved_scenario"]["params"]["legitimacy"], 0.82);
    assert!(run["sahel_version"].is_string());
    assert!(run["wall_seconds"].is_number());
    // never overwritten
    let again = sahel().args(["run", "epstein-mesa", "--steps", "2", "--out"]).arg(&out).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(out.join("series.csv")).unwrap(), csv);
}

#[test]
fn same_seed_same_series_any_threads() {
    let d = tmp("det");
    let mut csvs = Vec::new();
    for t in ["1", "3", "16"] {
        let out = d.join(t);
        let st = sahel()
            .args([
                "run",
                "epstein-run2",
                "--steps",
                "50",
                "--seed",
                "9",
                "--set",
                "scheduler=parallel",
                "--threads",
                t,
                "-q",
                "--out",
            ])
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        csvs.push(std::fs::read(out.join("series.csv")).unwrap());
    }
    assert_eq!(csvs[0], csvs[1]);
    assert_eq!(csvs[0], csvs[2]);
}

#[test]
fn scenarios_show_check_roundtrip() {
    let list = sahel().arg("scenarios").output().unwrap();
    let text = String::from_utf8(list.stdout).unwrap();
    let names: Vec<&str> = text.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert!(names.contains(&"epstein-run1") && names.contains(&"epstein-mesa") && names.contains(&"epstein-netlogo"));
    let d = tmp("show");
    for name in names {
        let shown = sahel().args(["show", name]).output().unwrap();
        assert!(shown.status.success());
        let f = d.join(format!("{name}.toml"));
        std::fs::write(&f, &shown.stdout).unwrap();
        let check = sahel().arg("check").arg(&f).output().unwrap();
        assert!(check.status.success(), "{name}: {}", String::from_utf8_lossy(&check.stderr));
    }
}

#[test]
fn bad_input_exits_2_with_location() {
    let d = tmp("bad");
    // unknown scenario lists the built-ins
    let o = sahel().args(["run", "no-such-thing"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("epstein-run2"));
    // malformed TOML
    let f = d.join("broken.toml");
    std::fs::write(&f, "model = \"epstein\"\nwidth = = 3\n").unwrap();
    let o = sahel().arg("check").arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.toml:2:"), "{err}");
    // out of range value
    let shown = sahel().args(["show", "epstein-mesa"]).output().unwrap();
    let text = String::from_utf8(shown.stdout).unwrap().replace("cop_vision = 7", "cop_vision = -7");
    let line = text.lines().position(|l| l.starts_with("cop_vision")).unwrap() + 1;
    let f = d.join("range.toml");
    std::fs::write(&f, text).unwrap();
    let o = sahel().arg("check").arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("range.toml:{line}:14")), "{err}");
    assert!(!err.contains("panicked"));
    // a bad --set
    let o = sahel().args(["run", "epstein-mesa", "--set", "movement=maybe"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    // bad usage
    let o = sahel().args(["run", "--steps", "x"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn mali_default_run_writes_the_contracted_outputs() {
    let d = tmp("mali");
    let out = d.join("m");
    let st = sahel()
        .args([
            "run",
            "--steps",
            "8",
            "--threads",
            "2",
            "-q",
            "--set",
            "people_per_agent=400",
            "--set",
            "geography.cell_deg=0.25",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let csv = std::fs::read_to_string(out.join("series.csv")).unwrap();
    assert!(csv.starts_with("date,step,scope,indicator,value\n"));
    for needle in [
        ",Mali,deaths,",
        ",Gao,control.FAMa,",
        ",Kidal,capital.MNLA,",
        ",Mali,refugees,",
        ",Mali,accord.perceived.CMA,",
        ",Ségou,idps,",
        ",Mali,accord.level.integration,",
        ",Mali,accord.overdue.local-police,",
    ] {
        assert!(csv.contains(needle), "{needle}");
    }
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["scenario"], "mali-2012");
    assert!(run["actors"].as_array().unwrap().iter().any(|a| a["name"] == "JNIM" && a["kind"] == "jihadist"));
    assert!(run["resolved_scenario"]["events"].is_array());
    assert!(out.join("summary.json").exists());
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("<svg") && report.contains("Who killed whom"));
    // who killed whom: the rows of every step sum to its deaths in series.csv
    let dyads = std::fs::read_to_string(out.join("dyads.csv")).unwrap();
    assert!(dyads.starts_with("date,step,victim,killer,cause,persons\n"));
    let mut credited = std::collections::BTreeMap::<String, f64>::new();
    for line in dyads.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        *credited.entry(f[1].to_string()).or_default() += f[5].parse::<f64>().unwrap();
    }
    let mut steps_with_deaths = 0;
    for line in csv.lines().filter(|l| l.contains(",Mali,deaths,")) {
        let f: Vec<&str> = line.split(',').collect();
        let deaths: f64 = f[4].parse().unwrap();
        let got = credited.get(f[1]).copied().unwrap_or(0.0);
        assert!((deaths - got).abs() <= 1e-5 * deaths.max(1.0), "step {}: {deaths} dead, {got} credited", f[1]);
        steps_with_deaths += (deaths > 0.0) as usize;
    }
    assert!(steps_with_deaths > 0);
    // the pattern scorecard reads the run back
    let p = sahel().arg("patterns").arg(&out).output().unwrap();
    assert!(p.status.success(), "{}", String::from_utf8_lossy(&p.stderr));
    let text = String::from_utf8(p.stdout).unwrap();
    for id in ["P1", "P2", "P3", "P4", "P5", "P6", "P7"] {
        assert!(text.contains(id), "{text}");
    }
    let bad = sahel().arg("patterns").arg(d.join("nothing-here")).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn mali_forecast_is_said_in_run_json() {
    let d = tmp("forecast");
    let out = d.join("f");
    let st = sahel()
        .args([
            "run",
            "mali-2012",
            "--until",
            "2018-03-31",
            "-q",
            "--set",
            "people_per_agent=800",
            "--set",
            "geography.cell_deg=0.5",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["forecast"]["from"], "2017-12-31");
    assert!(run["forecast"]["assumptions"].as_str().unwrap().contains("status quo"));
    assert!(std::fs::read_to_string(out.join("series.csv")).unwrap().contains("2018-03-"));
}

#[test]
fn mali_bad_files_are_located() {
    let d = tmp("malibad");
    let shown = String::from_utf8(sahel().args(["show", "mali-2012"]).output().unwrap().stdout).unwrap();
    // `sahel check` on `text` written to `name`: it must fail with status 2; its stderr
    let check = |name: &str, text: &str| -> String {
        let f = d.join(name);
        std::fs::write(&f, text).unwrap();
        let o = sahel().arg("check").arg(&f).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{name}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    // a number without a source
    let text = shown.replacen(
        "assumed = \"people_per_agent 100 is the default scale; step of 7 days as in Athena (brief, section 4)\"\n",
        "",
        1,
    );
    let err = check("nosource.toml", &text);
    assert!(err.contains("nosource.toml:") && err.contains("no source"), "{err}");
    // an event kind the brief does not allow
    let err = check("kind.toml", &format!("{shown}\n[[events]]\nkind = \"control\"\ndate = 2013-01-01\n"));
    assert!(err.contains("unknown variant `control`"));
    // an unknown region
    let err = check("region.toml", &shown.replacen("Kidal = 1400", "Atlantis = 1400", 1));
    assert!(err.contains("Atlantis") && err.contains("region.toml:"), "{err}");
    // an unknown region among an actor's aims, located at its line
    let dogon = "home_communities = [\"Dogon\"]\n";
    assert!(shown.contains(dogon));
    let text = shown.replacen(dogon, &format!("{dogon}operates_in = [\"Mopti\", \"Atlantis\"]\n"), 1);
    let line = text.lines().position(|l| l.contains("\"Atlantis\"")).unwrap() + 1;
    let err = check("aims.toml", &text);
    assert!(err.contains("Atlantis") && err.contains(&format!("aims.toml:{line}:")), "{err}");
    // an unknown region, and a level out of range, among the state's service levels, located at their lines
    let south = "state_service_south = 0.6\n";
    assert!(shown.contains(south));
    for (entry, says) in [("Atlantis = 0.35", "Atlantis"), ("Mopti = 1.5", "expected a number in [0, 1]")] {
        let text = shown.replacen(south, &format!("{south}state_service_regions = {{ {entry} }}\n"), 1);
        let line = text.lines().position(|l| l.starts_with("state_service_regions")).unwrap() + 1;
        let err = check("services.toml", &text);
        assert!(err.contains(says) && err.contains(&format!("services.toml:{line}:")), "{err}");
    }
    // a hunting mandate for a force without an offensive one (MINUSMA), located at its line
    let un = "name = \"MINUSMA\"\n";
    assert!(shown.contains(un));
    let text = shown.replacen(un, &format!("{un}hunts = true\n"), 1);
    // (the line after MINUSMA's name: France, before it, hunts in mali-2012)
    let line = text.lines().position(|l| l == "name = \"MINUSMA\"").unwrap() + 2;
    let err = check("hunts.toml", &text);
    assert!(err.contains("offensive") && err.contains(&format!("hunts.toml:{line}:")), "{err}");
}

/// Coarse settings that keep the experiment commands quick in tests.
const COARSE: [&str; 4] = ["--set", "people_per_agent=2000", "--set", "geography.cell_deg=0.25"];

#[test]
fn calibrate_writes_a_posterior_that_runs_and_ensembles_can_draw_from() {
    let d = tmp("calibrate");
    let cal = d.join("cal");
    let st = sahel()
        .args(["calibrate", "--particles", "6", "--generations", "1", "--fit-until", "2012-12-31"])
        .args(["--point-replicates", "2", "--fit-control", "-q", "--out"])
        .arg(&cal)
        .args(COARSE)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let post = std::fs::read_to_string(cal.join("posterior.csv")).unwrap();
    assert!(post.starts_with("particle,distance,sim_seed,mechanisms."));
    assert_eq!(post.lines().count(), 7);
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cal.join("calibration.json")).unwrap()).unwrap();
    assert_eq!(meta["settings"]["particles"], 6);
    // --fit-control: the capitals' holders to 2012-12-31 are targets (nine rows)
    let holds = meta["targets"].as_array().unwrap().iter().filter(|t| t["role"] == "holds").count();
    assert_eq!(holds, 9);
    assert!(meta["point_estimate"]["values"].is_object());
    // the point estimate is the distinct particle with the lowest mean distance over fresh seeds
    let means = meta["point_estimate"]["mean_distances"].as_array().unwrap();
    assert!(!means.is_empty() && means.len() <= 6);
    let best = means.iter().map(|m| m["mean_distance"].as_f64().unwrap()).fold(f64::INFINITY, f64::min);
    let point = meta["point_estimate"]["particle"].as_u64().unwrap();
    assert!(means.iter().any(|m| m["particle"].as_u64() == Some(point) && m["mean_distance"].as_f64() == Some(best)));
    // never overwritten without --force
    let again = sahel().args(["calibrate", "--particles", "6", "-q", "--out"]).arg(&cal).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    // --point-from chooses the point again without fitting: with the same seeds,
    // targets and replicates it finds the same particle and the same means
    let re = d.join("repick");
    let st = sahel()
        .args(["calibrate", "--fit-until", "2012-12-31", "--point-replicates", "2", "--fit-control", "-q"])
        .arg("--point-from")
        .arg(cal.join("posterior.csv"))
        .arg("--out")
        .arg(&re)
        .args(COARSE)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    assert!(!re.join("posterior.csv").exists() && !re.join("calibration.json").exists());
    let point: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(re.join("point.json")).unwrap()).unwrap();
    assert_eq!(point["point_estimate"]["particle"], meta["point_estimate"]["particle"]);
    assert_eq!(point["point_estimate"]["mean_distances"], meta["point_estimate"]["mean_distances"]);
    assert_eq!(point["point_estimate"]["values"], meta["point_estimate"]["values"]);
    // --point-by patterns: the same runs, chosen by the patterns decided by the
    // fit's end (P1 and P2 by 2012-12-31): the least-held first, then the total
    let pat = d.join("repick-patterns");
    let st = sahel()
        .args(["calibrate", "--fit-until", "2012-12-31", "--point-replicates", "2", "--fit-control", "-q"])
        .args(["--point-by", "patterns", "--point-from"])
        .arg(cal.join("posterior.csv"))
        .arg("--out")
        .arg(&pat)
        .args(COARSE)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let chosen: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pat.join("point.json")).unwrap()).unwrap();
    let cands = chosen["point_estimate"]["mean_distances"].as_array().unwrap();
    assert_eq!(cands.len(), means.len());
    let key = |c: &serde_json::Value| -> (u64, u64) {
        let n: Vec<u64> = c["holds_in"].as_array().unwrap().iter().map(|h| h[1].as_u64().unwrap()).collect();
        (n.iter().copied().min().unwrap(), n.iter().sum())
    };
    for c in cands {
        let ids: Vec<&str> = c["holds_in"].as_array().unwrap().iter().map(|h| h[0].as_str().unwrap()).collect();
        assert_eq!(ids, ["P1", "P2"]);
        assert!(key(c).0 <= 2 && key(c).1 <= 4);
    }
    let won = cands.iter().find(|c| c["particle"] == chosen["point_estimate"]["particle"]).unwrap();
    assert!(cands.iter().all(|c| key(c) <= key(won)), "{cands:?}");
    assert!(chosen["point_estimate"]["rule"].as_str().unwrap().contains("P1, P2"));
    // --fit-surveys: the five surveys of trust with a counterpart dated by 2014 join the targets
    let targets = |surveys: bool| -> u64 {
        let out = d.join(format!("repick-surveys-{surveys}"));
        let mut cmd = sahel();
        cmd.args(["calibrate", "--fit-until", "2014-12-31", "--point-replicates", "1", "-q", "--point-from"])
            .arg(cal.join("posterior.csv"))
            .arg("--out")
            .arg(&out)
            .args(COARSE);
        if surveys {
            cmd.arg("--fit-surveys");
        }
        let st = cmd.output().unwrap();
        assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("point.json")).unwrap()).unwrap();
        v["targets"].as_u64().unwrap()
    };
    assert_eq!(targets(true), targets(false) + 5);
    // a run drawing from it records the drawn values as overrides
    let out = d.join("run");
    let st = sahel()
        .args(["run", "--until", "2012-03-31", "-q", "--posterior"])
        .arg(cal.join("posterior.csv"))
        .arg("--out")
        .arg(&out)
        .args(COARSE)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let overrides: Vec<String> =
        run["overrides"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert!(overrides.iter().any(|o| o.starts_with("mechanisms.m5_combat.")), "{overrides:?}");
    // a forecast from it, never overwritten
    let f = d.join("forecast.csv");
    let st = sahel()
        .args(["forecast", "--until", "2019-12-31", "--seeds", "2", "-q", "--posterior"])
        .arg(cal.join("posterior.csv"))
        .arg("--out")
        .arg(&f)
        .args(COARSE)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let csv = std::fs::read_to_string(&f).unwrap();
    assert!(csv.starts_with("year,indicator,scope,median,p25,p75,p05,p95,members\n"));
    assert!(csv.contains("\n2018,deaths,Mali,") && csv.contains("\n2019,control.jihadist,Mali,"));
    assert!(!csv.contains("\n2017,"), "only the years after the scenario's end");
    let again =
        sahel().args(["forecast", "--until", "2019-12-31", "-q", "--out"]).arg(&f).args(COARSE).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn validate_writes_the_scorecard() {
    let d = tmp("validate");
    let out = d.join("v");
    let st = sahel()
        .args(["validate", "--seeds", "2", "--origin", "2015-12-31", "--ablate", "m2,m5", "--out"])
        .arg(&out)
        .args(COARSE)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let stdout = String::from_utf8_lossy(&st.stdout);
    assert!(stdout.contains("P1 ") && stdout.contains("P7 "), "{stdout}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("validation.json")).unwrap()).unwrap();
    assert_eq!(v["seeds"], serde_json::json!([1, 2]));
    // P1-P7 and the supplementary check S1
    let ids: Vec<&str> = v["patterns"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "S1"]);
    assert_eq!(v["ablated"], serde_json::json!(["m2", "m5"]));
    assert!(v["rows"].as_array().unwrap().len() >= 40);
    assert!(v["holdout"]["rows"].as_array().unwrap().iter().all(|r| r["date"].as_str().unwrap() >= "2016"));
    // the calibration's distance, for each seed
    assert_eq!(v["distance"]["per_seed"].as_array().unwrap().len(), 2);
    assert!(v["distance"]["mean"].as_f64().unwrap() > 0.0);
    let md = std::fs::read_to_string(out.join("validation.md")).unwrap();
    assert!(md.contains("| P3 |") && md.contains("Held out after 2015-12-31"));
    // bad input: exit 2 and a clear message
    for (args, needle) in [
        (vec!["validate", "--ablate", "m12"], "--ablate"),
        (vec!["validate", "--origin", "soon"], "--origin soon"),
        (vec!["validate", "epstein-mesa"], "Mali model"),
        (vec!["calibrate", "--fit-until", "1990-01-01"], "no observed row"),
    ] {
        let st = sahel().args(&args).output().unwrap();
        assert_eq!(st.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&st.stderr).contains(needle),
            "{args:?}: {}",
            String::from_utf8_lossy(&st.stderr)
        );
    }
}

#[test]
fn bad_priors_and_posteriors_are_located() {
    let d = tmp("priors");
    let p = d.join("p.toml");
    std::fs::write(&p, "[[parameter]]\nkey = \"mechanisms.m5_combat.lethality\"\nlo = 1\nhi = oops\nreason = \"\"\n")
        .unwrap();
    let st = sahel().args(["calibrate", "--priors"]).arg(&p).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&st.stderr).contains(&format!("{}:4:", p.display())));
    std::fs::write(&p, "[[parameter]]\nkey = \"mechanisms.m5_combat.nonsense\"\nlo = 1\nhi = 2\nreason = \"\"\n")
        .unwrap();
    let st = sahel().args(["calibrate", "--priors"]).arg(&p).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&st.stderr).contains("not a parameter"), "{}", String::from_utf8_lossy(&st.stderr));
    let q = d.join("post.csv");
    std::fs::write(&q, "particle,distance,sim_seed,mechanisms.m5_combat.lethality\n0,0.5,3,abc\n").unwrap();
    let st = sahel().args(["run", "--posterior"]).arg(&q).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&st.stderr).contains(&format!("{}:2:", q.display())));
}

/// `--write-scenario` is checked before the fit: a file that is missing, or
/// lacks a fitted key, is refused at once (exit 2), and nothing is written.
#[test]
fn calibrate_checks_the_scenario_to_rewrite_before_fitting() {
    let d = tmp("write-scenario");
    let out = d.join("cal");
    let missing = d.join("missing.toml");
    let st =
        sahel().args(["calibrate", "-q", "--out"]).arg(&out).arg("--write-scenario").arg(&missing).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    let err = String::from_utf8_lossy(&st.stderr);
    assert!(err.contains(&missing.display().to_string()), "{err}");
    assert!(!out.join("posterior.csv").exists());
    let bare = d.join("bare.toml");
    std::fs::write(&bare, "name = \"bare\"\n").unwrap();
    let st = sahel().args(["calibrate", "-q", "--out"]).arg(&out).arg("--write-scenario").arg(&bare).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    let err = String::from_utf8_lossy(&st.stderr);
    assert!(err.contains("--write-scenario") && err.contains("no table"), "{err}");
    assert!(!out.join("posterior.csv").exists());
    assert_eq!(std::fs::read_to_string(&bare).unwrap(), "name = \"bare\"\n");
}
