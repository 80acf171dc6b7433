//! docs/scenario.md's tables of mechanism parameters stay true to the built-in
//! scenario: every key of every `[mechanisms.*]` table is listed, and the
//! `mali-2012` column holds its value, or says `calibrated` for a parameter
//! `sahel calibrate` fits (data/calibration/priors.toml).

use std::collections::BTreeMap;

const DOC: &str = include_str!("../../../docs/scenario.md");
const PRIORS: &str = include_str!("../../../data/calibration/priors.toml");

/// `mechanism → [(key, mali-2012 cell)]` from the doc's tables; a row naming
/// several keys (`` `a`, `b` ``) gives each its part of a comma-separated cell.
fn doc_tables() -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in DOC.lines() {
        if let Some(rest) = line.strip_prefix("**`[mechanisms.") {
            current = rest.split(']').next().map(str::to_string);
            continue;
        }
        if line.starts_with("## ") {
            current = None;
        }
        let Some(m) = &current else { continue };
        if !line.starts_with("| `") {
            continue;
        }
        let cols: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        let keys: Vec<String> = cols[0].split(", ").map(|k| k.trim_matches('`').to_string()).collect();
        let value = cols.last().expect("a row has columns").to_string();
        let parts: Vec<String> =
            if keys.len() > 1 { value.split(", ").map(str::to_string).collect() } else { vec![value] };
        assert_eq!(parts.len(), keys.len(), "docs/scenario.md row {line:?}: one value per key");
        for (k, v) in keys.into_iter().zip(parts) {
            out.entry(m.clone()).or_default().push((k, v));
        }
    }
    out
}

#[test]
fn scenario_doc_lists_every_mechanism_parameter_with_its_value() {
    let sc: toml::Value = toml::from_str(sahel_mali::scenario::BUILTIN[0].1).unwrap();
    let priors: toml::Value = toml::from_str(PRIORS).unwrap();
    let free: Vec<String> =
        priors["parameter"].as_array().unwrap().iter().map(|p| p["key"].as_str().unwrap().to_string()).collect();
    let doc = doc_tables();
    let mechanisms = sc["mechanisms"].as_table().unwrap();
    let mut wrong = Vec::new();
    for (m, table) in mechanisms {
        let rows = doc.get(m).unwrap_or_else(|| panic!("docs/scenario.md has no table for [mechanisms.{m}]"));
        for (key, value) in table.as_table().unwrap() {
            if matches!(key.as_str(), "enabled" | "source" | "assumed") {
                continue;
            }
            let Some((_, cell)) = rows.iter().find(|(k, _)| k == key) else {
                wrong.push(format!("[mechanisms.{m}] {key}: not listed"));
                continue;
            };
            let full = format!("mechanisms.{m}.{key}");
            let ok = if free.contains(&full) {
                cell == "calibrated"
            } else {
                match value {
                    toml::Value::Float(_) | toml::Value::Integer(_) => {
                        let x = value.as_float().unwrap_or_else(|| value.as_integer().unwrap() as f64);
                        let first = cell.split_whitespace().next().unwrap_or("");
                        first.parse::<f64>().is_ok_and(|y| (x - y).abs() <= 1e-9 * x.abs().max(1.0))
                    }
                    toml::Value::String(s) => cell.trim_matches('`') == s,
                    toml::Value::Boolean(b) => cell.trim_matches('`') == b.to_string(),
                    // lists are shown in TOML form; not compared
                    _ => true,
                }
            };
            if !ok {
                let shown = if free.contains(&full) { "calibrated".to_string() } else { value.to_string() };
                wrong.push(format!("[mechanisms.{m}] {key}: docs say {cell:?}, mali-2012 has {shown}"));
            }
        }
    }
    assert!(wrong.is_empty(), "docs/scenario.md is out of date:\n{}", wrong.join("\n"));
}
