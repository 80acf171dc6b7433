//! Reading scenarios: a built-in name or a TOML file, `--set` overrides, and
//! errors that say where (file:line:column) and what was expected.

use sahel_epstein::Params;
use std::fmt;

/// A problem with the user's input: exit code 2.
#[derive(Debug)]
pub struct InputError {
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl InputError {
    pub fn new(message: impl Into<String>) -> Self {
        InputError { message: message.into() }
    }
}

/// Where a scenario's text came from.
pub struct Source {
    /// The name shown in messages: a path or `builtin:NAME`.
    pub origin: String,
    pub text: String,
}

/// Every built-in scenario: `(name, toml text)`.
pub fn builtins() -> Vec<(&'static str, &'static str)> {
    let mut v = sahel_mali::scenario::BUILTIN.to_vec();
    v.extend(sahel_epstein::scenarios::BUILTIN.iter().copied());
    v
}

pub fn description(text: &str) -> String {
    text.parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("description").and_then(|d| d.as_str().map(String::from)))
        .unwrap_or_default()
}

/// Resolve SCENARIO: a built-in name, or a path to a `.toml` file.
pub fn load(spec: &str) -> Result<Source, InputError> {
    if let Some(text) = builtins().iter().find(|(n, _)| *n == spec).map(|(_, t)| *t) {
        return Ok(Source { origin: format!("builtin:{spec}"), text: text.to_string() });
    }
    let path = std::path::Path::new(spec);
    if path.extension().is_some_and(|e| e == "toml") || path.exists() {
        return match std::fs::read_to_string(path) {
            Ok(text) => Ok(Source { origin: spec.to_string(), text }),
            Err(e) => Err(InputError::new(format!("{spec}: cannot read the scenario file: {e}"))),
        };
    }
    let names: Vec<&str> = builtins().iter().map(|(n, _)| *n).collect();
    Err(InputError::new(format!(
        "unknown scenario `{spec}`: not a built-in and not a .toml file.\nBuilt-in scenarios:\n  {}",
        names.join("\n  ")
    )))
}

/// 1-based line and column of byte `offset` in `text`.
pub use sahel_experiments::posterior::line_col;

/// `origin:line:col: message`, with the offending line and a caret.
fn located(src: &Source, offset: usize, message: &str) -> String {
    let (line, col) = line_col(&src.text, offset);
    let text_line = src.text.lines().nth(line - 1).unwrap_or("");
    format!("{}:{line}:{col}: {message}\n  |\n  | {text_line}\n  | {}^", src.origin, " ".repeat(col - 1))
}

fn toml_error(src: &Source, e: &toml::de::Error) -> InputError {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => InputError::new(located(src, span.start, &msg)),
        None => InputError::new(format!("{}: {msg}", src.origin)),
    }
}

/// The byte offset of the value at dotted `key` in the document, if present.
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let mut table = doc.get_ref();
    let parts: Vec<&str> = key.split('.').collect();
    let mut skip = 0;
    for (i, part) in parts.iter().enumerate() {
        if i < skip {
            continue;
        }
        let (_, v) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *part)?;
        if i + 1 == parts.len() {
            return Some(v.span().start);
        }
        // descend through arrays by index (`actors.3.name`)
        let mut cur = v;
        let mut i = i;
        while let toml::de::DeValue::Array(items) = cur.get_ref() {
            let Some(idx) = parts.get(i + 1).and_then(|p| p.parse::<usize>().ok()) else {
                return Some(cur.span().start);
            };
            cur = items.get(idx)?;
            i += 1;
            if i + 1 == parts.len() {
                return Some(cur.span().start);
            }
        }
        match cur.get_ref() {
            toml::de::DeValue::Table(t) => table = t,
            _ => return Some(cur.span().start),
        }
        skip = i + 1;
    }
    None
}

/// Apply `KEY=VALUE` overrides to a parsed document. VALUE is read as a TOML value
/// (`0.8`, `true`, `inf`, `"x"`), or else as a bare string.
pub fn apply_sets(table: &mut toml::Table, sets: &[String]) -> Result<(), InputError> {
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            return Err(InputError::new(format!("--set {set}: expected KEY=VALUE")));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(InputError::new(format!("--set {set}: the key is empty")));
        }
        let value = value.trim();
        let parsed = format!("v = {value}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        sahel_experiments::model::set_path(table, key, parsed)
            .map_err(|e| InputError::new(format!("--set {set}: {e}")))?;
    }
    Ok(())
}

/// A scenario read, overridden and validated.
pub enum Scenario {
    Epstein(Box<Params>),
    Mali(Box<sahel_mali::scenario::Scenario>),
}

impl Scenario {
    pub fn name(&self) -> &str {
        match self {
            Scenario::Epstein(p) => &p.name,
            Scenario::Mali(s) => &s.name,
        }
    }
}

/// Parse and validate `src`, then apply `sets` and validate again. Errors in the
/// file point into the file; errors brought in by `--set` name the override.
pub fn parse(src: &Source, sets: &[String]) -> Result<Scenario, InputError> {
    let table: toml::Table = toml::from_str(&src.text).map_err(|e| toml_error(src, &e))?;
    let model = table.get("model").and_then(|m| m.as_str()).unwrap_or("");
    match model {
        "epstein" => {}
        "mali" => return parse_mali(src, table, sets),
        "" => {
            let off = 0;
            return Err(InputError::new(located(
                src,
                off,
                "missing `model`: expected `model = \"mali\"` or `\"epstein\"`",
            )));
        }
        other => {
            let off = key_offset(&src.text, "model").unwrap_or(0);
            return Err(InputError::new(located(
                src,
                off,
                &format!("unknown model `{other}`: expected \"mali\" or \"epstein\""),
            )));
        }
    }
    // 1. the file as written
    let params: Params = toml::from_str(&src.text).map_err(|e| toml_error(src, &e))?;
    let errs = params.validate();
    if let Some(e) = errs.first() {
        let msg = format!("`{}`: {}", e.key, e.message);
        return Err(InputError::new(match key_offset(&src.text, &e.key) {
            Some(off) => located(src, off, &msg),
            None => format!("{}: {msg}", src.origin),
        }));
    }
    if sets.is_empty() {
        return Ok(Scenario::Epstein(Box::new(params)));
    }
    // 2. with the overrides
    let mut table = table;
    apply_sets(&mut table, sets)?;
    let params: Params = from_table(&table).map_err(|e| InputError::new(format!("--set: {}", e.message().trim())))?;
    if let Some(e) = params.validate().first() {
        return Err(InputError::new(format!("--set: `{}`: {}", e.key, e.message)));
    }
    Ok(Scenario::Epstein(Box::new(params)))
}

/// Turn a model's `(key, message)` error into a located one.
fn located_key(src: &Source, key: &str, message: &str) -> InputError {
    let msg = format!("`{key}`: {message}");
    InputError::new(match key_offset(&src.text, key) {
        Some(off) => located(src, off, &msg),
        None => format!("{}: {msg}", src.origin),
    })
}

fn check_mali(sc: &sahel_mali::scenario::Scenario, tree: &toml::Table) -> Result<(), (String, String)> {
    if let Some(e) = sc.validate().into_iter().next() {
        return Err((e.key, e.message));
    }
    let json = serde_json::to_value(tree).map_err(|e| ("".to_string(), e.to_string()))?;
    if let Some(k) = sahel_mali::scenario::unsourced_numbers(&json).into_iter().next() {
        return Err((
            k,
            "this number has no source: give its table (or the table holding it) a `source = \"...\"` or an `assumed = \"reason\"`".into(),
        ));
    }
    if sc.geography.polygons == "builtin:regions-2012" {
        let raster = sahel_mali::geography::Raster::from_geojson(
            sahel_mali::geography::BUILTIN_REGIONS_2012,
            sc.geography.cell_deg,
        )
        .map_err(|m| ("geography.cell_deg".to_string(), m))?;
        let names: Vec<String> = raster.regions.iter().map(|r| r.name.clone()).collect();
        if let Some(e) = sc.check_regions(&names).into_iter().next() {
            return Err((e.key, e.message));
        }
    }
    Ok(())
}

fn parse_mali(src: &Source, table: toml::Table, sets: &[String]) -> Result<Scenario, InputError> {
    let sc: sahel_mali::scenario::Scenario = toml::from_str(&src.text).map_err(|e| toml_error(src, &e))?;
    check_mali(&sc, &table).map_err(|(k, m)| located_key(src, &k, &m))?;
    if sets.is_empty() {
        return Ok(Scenario::Mali(Box::new(sc)));
    }
    let mut table = table;
    apply_sets(&mut table, sets)?;
    let sc: sahel_mali::scenario::Scenario =
        from_table(&table).map_err(|e| InputError::new(format!("--set: {}", e.message().trim())))?;
    check_mali(&sc, &table).map_err(|(k, m)| InputError::new(format!("--set: `{k}`: {m}")))?;
    Ok(Scenario::Mali(Box::new(sc)))
}

/// Deserialise an overridden table by a round trip through text: toml's own
/// deserializer gives the same errors and accepts exactly what a file would.
fn from_table<T: serde::de::DeserializeOwned>(t: &toml::Table) -> Result<T, toml::de::Error> {
    toml::from_str(&toml::to_string(t).expect("a table serialises"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn builtins_all_parse_and_validate() {
        for (name, _) in builtins() {
            let src = load(name).unwrap();
            parse(&src, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn unknown_key_is_located() {
        let src = Source { origin: "x.toml".into(), text: load("epstein-mesa").unwrap().text + "\nbogus = 3\n" };
        let e = parse(&src, &[]).err().unwrap().message;
        assert!(e.starts_with("x.toml:"), "{e}");
        assert!(e.contains("bogus"), "{e}");
    }

    #[test]
    fn out_of_range_value_is_located() {
        let text = load("epstein-mesa").unwrap().text.replace("legitimacy = 0.8", "legitimacy = 1.8");
        let line = text.lines().position(|l| l.starts_with("legitimacy =")).unwrap() + 1;
        let src = Source { origin: "y.toml".into(), text };
        let e = parse(&src, &[]).err().unwrap().message;
        assert!(e.starts_with(&format!("y.toml:{line}:14:")), "{e}");
        assert!(e.contains("[0, 1]"), "{e}");
    }

    #[test]
    fn sets_override_and_are_checked() {
        let src = load("epstein-mesa").unwrap();
        let Scenario::Epstein(p) = parse(&src, &["legitimacy=0.5".into(), "rules.arrest_rule=floor".into()]).unwrap()
        else {
            panic!("an Epstein scenario")
        };
        assert_eq!(p.legitimacy, 0.5);
        assert_eq!(p.rules().arrest_rule, sahel_epstein::params::ArrestRule::Floor);
        assert!(parse(&src, &["legitimacy=2".into()]).is_err());
        assert!(parse(&src, &["nonsense=2".into()]).is_err());
        assert!(parse(&src, &["variant=netlogo".into()]).is_ok());
    }
}
