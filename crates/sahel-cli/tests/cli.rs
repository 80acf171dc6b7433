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
    assert!(std::fs::read_to_string(out.join("report.html")).unwrap().contains("<svg"));
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
    // a number without a source
    let text = shown.replacen(
        "assumed = \"people_per_agent 100 is the default scale; step of 7 days as in Athena (brief, section 4)\"\n",
        "",
        1,
    );
    let f = d.join("nosource.toml");
    std::fs::write(&f, &text).unwrap();
    let o = sahel().arg("check").arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nosource.toml:") && err.contains("no source"), "{err}");
    // an event kind the brief does not allow
    let f = d.join("kind.toml");
    std::fs::write(&f, format!("{shown}\n[[events]]\nkind = \"control\"\ndate = 2013-01-01\n")).unwrap();
    let o = sahel().arg("check").arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown variant `control`"));
    // an unknown region
    let f = d.join("region.toml");
    std::fs::write(&f, shown.replacen("Kidal = 1400", "Atlantis = 1400", 1)).unwrap();
    let o = sahel().arg("check").arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Atlantis") && err.contains("region.toml:"), "{err}");
}
