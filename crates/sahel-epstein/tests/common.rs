#![allow(dead_code)]
use sahel_epstein::{params::Params, scenarios, Series};

/// A built-in scenario with `KEY = VALUE` TOML overrides applied.
pub fn scenario(name: &str, overrides: &[(&str, &str)]) -> Params {
    let mut t: toml::Table = scenarios::get(name).expect("built-in").parse().unwrap();
    for (k, v) in overrides {
        let parts: Vec<&str> = k.split('.').collect();
        let value: toml::Value = format!("v = {v}").parse::<toml::Table>().unwrap().remove("v").unwrap();
        let mut table = &mut t;
        for p in &parts[..parts.len() - 1] {
            table =
                table.entry(p.to_string()).or_insert(toml::Value::Table(Default::default())).as_table_mut().unwrap();
        }
        table.insert(parts[parts.len() - 1].to_string(), value);
    }
    let p: Params = toml::from_str(&toml::to_string(&t).unwrap()).unwrap();
    assert!(p.validate().is_empty(), "{:?}", p.validate());
    p
}

pub fn run(p: &Params, seed: u64, steps: u64) -> Series {
    sahel_epstein::run(p, seed, steps, |_| {})
}

pub fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

pub fn var(xs: &[f64]) -> f64 {
    let m = mean(xs);
    xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
}

/// Welch's t statistic of two samples.
pub fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    (mean(a) - mean(b)) / (var(a) / a.len() as f64 + var(b) / b.len() as f64).sqrt()
}

/// Per-run mean actives and mean jailed over steps 1.., and peak actives.
pub fn summary(s: &Series) -> (f64, f64, f64) {
    let rows = &s.rows[1..];
    let n = rows.len() as f64;
    let act = rows.iter().map(|r| r.2.active as f64).sum::<f64>() / n;
    let jail = rows.iter().map(|r| r.2.jailed as f64).sum::<f64>() / n;
    let peak = rows.iter().map(|r| r.2.active).max().unwrap_or(0) as f64;
    (act, jail, peak)
}
