//! Priors of the calibrated parameters and the posterior sample
//! (`data/calibration/posterior.csv`).

use serde::{Deserialize, Serialize};

/// A calibrated parameter and its prior: uniform on `[lo, hi]`, or on
/// `[ln lo, ln hi]` when `log` (a rate known only to its order of magnitude).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Prior {
    /// Dotted path into the scenario, e.g. `mechanisms.m5_combat.lethality`.
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    #[serde(default)]
    pub log: bool,
    /// Why this parameter is free and why these bounds.
    pub reason: String,
}

impl Prior {
    /// The parameter's value at `u` in [0, 1] (the prior's quantile).
    pub fn value(&self, u: f64) -> f64 {
        if self.log {
            (self.lo.ln() + u * (self.hi.ln() - self.lo.ln())).exp()
        } else {
            self.lo + u * (self.hi - self.lo)
        }
    }

    /// The inverse of [`Prior::value`].
    pub fn unit(&self, v: f64) -> f64 {
        if self.log {
            (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        }
    }
}

/// The priors file: `[[parameter]]` tables.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priors {
    pub parameter: Vec<Prior>,
}

/// The shipped priors of `mali-2012`.
pub const PRIORS: &str = include_str!("../../../data/calibration/priors.toml");

impl Priors {
    pub fn parse(text: &str, origin: &str) -> Result<Priors, String> {
        let p: Priors = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            format!("{origin}:{line}:{col}: {}", e.message().trim())
        })?;
        if p.parameter.is_empty() || p.parameter.len() > 8 {
            return Err(format!("{origin}: expected 1 to 8 `[[parameter]]` tables, found {}", p.parameter.len()));
        }
        for (i, q) in p.parameter.iter().enumerate() {
            let bad = !(q.lo.is_finite() && q.hi.is_finite() && q.lo < q.hi) || (q.log && q.lo <= 0.0);
            if bad {
                return Err(format!(
                    "{origin}: parameter {} (`{}`): expected finite lo < hi, and lo > 0 for a log prior",
                    i + 1,
                    q.key
                ));
            }
            if p.parameter[..i].iter().any(|o| o.key == q.key) {
                return Err(format!("{origin}: `{}` is given twice", q.key));
            }
        }
        Ok(p)
    }

    pub fn keys(&self) -> Vec<String> {
        self.parameter.iter().map(|p| p.key.clone()).collect()
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.chars().count(), |i| before[i + 1..].chars().count()) + 1;
    (line, col)
}

/// An equally weighted posterior sample: one row per particle.
#[derive(Clone, Debug, PartialEq)]
pub struct Posterior {
    pub keys: Vec<String>,
    /// (distance, model seed of the particle's simulation, values).
    pub rows: Vec<(f64, u64, Vec<f64>)>,
}

impl Posterior {
    /// The CSV text: `particle,distance,sim_seed,<key>...`, values in shortest
    /// round-trip form (reading it back gives the same numbers).
    pub fn to_csv(&self) -> String {
        let mut s = format!("particle,distance,sim_seed,{}\n", self.keys.join(","));
        for (i, (d, seed, v)) in self.rows.iter().enumerate() {
            let vals: Vec<String> = v.iter().map(|x| format!("{x:?}")).collect();
            s += &format!("{i},{d:?},{seed},{}\n", vals.join(","));
        }
        s
    }

    pub fn parse(text: &str, origin: &str) -> Result<Posterior, String> {
        let mut lines = text.lines().enumerate();
        let header = lines.next().map(|(_, h)| h).unwrap_or("");
        let cols: Vec<&str> = header.split(',').collect();
        if cols.len() < 4 || cols[..3] != ["particle", "distance", "sim_seed"] {
            return Err(format!("{origin}:1:1: expected the header `particle,distance,sim_seed,<parameter>...`"));
        }
        let keys: Vec<String> = cols[3..].iter().map(|s| s.to_string()).collect();
        let mut rows = Vec::new();
        for (i, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split(',').collect();
            if f.len() != cols.len() {
                return Err(format!("{origin}:{}:1: expected {} fields, found {}", i + 1, cols.len(), f.len()));
            }
            let mut col = 1;
            let mut nums = Vec::new();
            for (j, x) in f.iter().enumerate() {
                if j != 0 && j != 2 {
                    let v: f64 = x
                        .trim()
                        .parse()
                        .ok()
                        .filter(|v: &f64| v.is_finite())
                        .ok_or_else(|| format!("{origin}:{}:{col}: `{x}`: expected a number", i + 1))?;
                    nums.push(v);
                }
                col += x.len() + 1;
            }
            let seed: u64 =
                f[2].trim().parse().map_err(|_| format!("{origin}:{}: `{}`: expected a seed", i + 1, f[2]))?;
            rows.push((nums[0], seed, nums[1..].to_vec()));
        }
        if rows.is_empty() {
            return Err(format!("{origin}: no particles"));
        }
        Ok(Posterior { keys, rows })
    }

    /// The particle a run with model seed `seed` uses: drawn uniformly, keyed
    /// on the seed alone, so an ensemble's members and their parameters are
    /// the same whatever else runs.
    pub fn draw(&self, seed: u64) -> usize {
        const STREAM: u64 = sahel_engine::rng::streams::MODEL + 900;
        sahel_engine::Rng::new(seed, 0, STREAM, 0).below(self.rows.len() as u64) as usize
    }

    /// The point estimate: the medoid, the particle nearest (in prior quantile
    /// units) to the componentwise median — a real particle, so a coherent set
    /// of values, unlike the vector of medians.
    pub fn point(&self, priors: &[Prior]) -> usize {
        let d = self.keys.len();
        let unit = |k: usize, v: f64| priors.iter().find(|p| p.key == self.keys[k]).map_or(v, |p| p.unit(v));
        let med: Vec<f64> = (0..d)
            .map(|k| {
                let col: Vec<f64> = self.rows.iter().map(|r| unit(k, r.2[k])).collect();
                crate::quantile(&col, 0.5).unwrap_or(0.0)
            })
            .collect();
        let dist = |r: &(f64, u64, Vec<f64>)| -> f64 { (0..d).map(|k| (unit(k, r.2[k]) - med[k]).powi(2)).sum() };
        (0..self.rows.len())
            .min_by(|&a, &b| dist(&self.rows[a]).total_cmp(&dist(&self.rows[b])).then(a.cmp(&b)))
            .unwrap_or(0)
    }

    /// Overrides that set particle `i`'s values.
    pub fn sets(&self, i: usize) -> Vec<(String, toml::Value)> {
        crate::model::numeric_sets(&self.keys, &self.rows[i].2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_priors_parse() {
        let p = Priors::parse(PRIORS, "priors.toml").unwrap();
        assert!((1..=8).contains(&p.parameter.len()));
        for q in &p.parameter {
            for u in [0.0, 0.3, 1.0] {
                assert!((q.unit(q.value(u)) - u).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn posterior_round_trips_and_errors_are_located() {
        let p = Posterior {
            keys: vec!["a.b".into(), "c.d".into()],
            rows: vec![(0.5, 7, vec![0.1, 1e-5]), (0.25, 8, vec![1.0 / 3.0, 2.0])],
        };
        assert_eq!(Posterior::parse(&p.to_csv(), "p.csv").unwrap(), p);
        let bad = p.to_csv().replace("0.25", "x");
        assert!(Posterior::parse(&bad, "p.csv").unwrap_err().starts_with("p.csv:3:3:"));
        assert!(Posterior::parse("a,b\n", "p.csv").unwrap_err().starts_with("p.csv:1:1:"));
    }

    #[test]
    fn bad_priors_are_located() {
        let e =
            Priors::parse("[[parameter]]\nkey = \"x\"\nlo = 1\nhi = \"no\"\nreason = \"\"\n", "q.toml").unwrap_err();
        assert!(e.starts_with("q.toml:4:"), "{e}");
        let e = Priors::parse("[[parameter]]\nkey = \"x\"\nlo = 2\nhi = 1\nreason = \"\"\n", "q.toml").unwrap_err();
        assert!(e.contains("lo < hi"), "{e}");
    }
}
