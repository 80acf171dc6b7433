//! Scenario variants and single runs kept in memory.

use sahel_mali::calendar::Date;
use sahel_mali::patterns::Series;
use sahel_mali::scenario::Scenario;
use sahel_mali::world::World;
use std::collections::BTreeMap;

/// Set `key` (a dotted path of tables, `mechanisms.m5_combat.lethality`) in a
/// TOML table, making the tables on the way.
pub fn set_path(table: &mut toml::Table, key: &str, value: toml::Value) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.trim().is_empty()) {
        return Err(format!("`{key}`: a part of the key is empty"));
    }
    let mut t = table;
    for part in &parts[..parts.len() - 1] {
        let entry = t.entry(part.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        t = match entry {
            toml::Value::Table(inner) => inner,
            _ => return Err(format!("`{key}`: `{part}` is not a table")),
        };
    }
    t.insert(parts[parts.len() - 1].to_string(), value);
    Ok(())
}

/// A Mali scenario as the TOML table its variants are made from.
#[derive(Clone, Debug)]
pub struct Base {
    pub table: toml::Table,
}

impl Base {
    pub fn parse(text: &str) -> Result<Base, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let b = Base { table };
        b.with(&[])?;
        Ok(b)
    }

    /// The scenario with `sets` applied, validated.
    pub fn with(&self, sets: &[(String, toml::Value)]) -> Result<Scenario, String> {
        let mut t = self.table.clone();
        for (k, v) in sets {
            set_path(&mut t, k, v.clone())?;
        }
        let text = toml::to_string(&t).map_err(|e| e.to_string())?;
        let sc: Scenario = toml::from_str(&text).map_err(|e| e.message().trim().to_string())?;
        if let Some(e) = sc.validate().into_iter().next() {
            return Err(format!("`{}`: {}", e.key, e.message));
        }
        Ok(sc)
    }
}

/// Numbers as overrides.
pub fn numeric_sets(keys: &[String], values: &[f64]) -> Vec<(String, toml::Value)> {
    keys.iter().zip(values).map(|(k, &v)| (k.clone(), toml::Value::Float(v))).collect()
}

/// A finished run: its series and its actors' kinds (what the patterns need).
pub struct Outcome {
    pub seed: u64,
    pub series: Series,
    pub kinds: BTreeMap<String, String>,
}

/// Run `sc` from `seed` to `until` (default: the scenario's end; past it, a
/// status-quo forecast as `sahel run --until` makes), on the current rayon pool.
pub fn simulate(sc: Scenario, seed: u64, until: Option<Date>) -> Result<Outcome, String> {
    let end = sc.end;
    let until = until.unwrap_or(end);
    let mut w = World::new(sc, seed).map_err(|e| format!("`{}`: {}", e.key, e.message))?;
    w.dyn_.hold_after_end = until > end;
    let rec = sahel_mali::output::run(&mut w, until, |_, _| {});
    let kinds = w
        .actors
        .iter()
        .map(|a| (a.name.clone(), serde_json::to_value(a.kind).ok().and_then(|k| k.as_str().map(String::from))))
        .map(|(n, k)| (n, k.unwrap_or_default()))
        .collect();
    Ok(Outcome { seed, series: Series::parse(&rec.csv)?, kinds })
}
