//! The validation scorecard (patterns P1–P7 and check S1 over an ensemble, every observed
//! row beside the simulated median and 90 % band, and a held-out check against
//! naive baselines), and the forecast table.

use crate::ensemble::Member;
use crate::observed::{self, simulated, Row};
use crate::quantile;
use sahel_mali::patterns::{score, CENTRE, NORTH};
use serde::Serialize;

/// A pattern "holds" when it holds in at least this share of seeds (the brief).
pub const HOLDS_SHARE: f64 = 0.8;

#[derive(Clone, Debug, Serialize)]
pub struct PatternShare {
    pub id: String,
    pub criterion: String,
    pub holds_in: usize,
    pub of: usize,
    pub share: f64,
    pub holds: bool,
    /// The first member's detail, as an example.
    pub example: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RowCheck {
    pub date: String,
    pub indicator: String,
    pub scope: String,
    pub observed: f64,
    pub source: String,
    pub median: Option<f64>,
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    /// Whether the observed value lies in the 90 % band; for a bound (an
    /// indicator ending `_at_most`: the truth is at most the value), whether
    /// the band reaches down to it (`_at_least`: up to it).
    pub inside: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HoldoutRow {
    pub date: String,
    pub indicator: String,
    pub scope: String,
    pub observed: f64,
    pub model: Option<f64>,
    /// The last observed value of the same series before the origin.
    pub persistence: Option<f64>,
    /// The least-squares line through the series' values before the origin.
    pub trend: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Holdout {
    pub origin: String,
    pub rows: Vec<HoldoutRow>,
    /// Mean absolute error in log10 units (log10 of (x + 1)) over the rows all
    /// three forecasts cover: model, persistence, trend.
    pub mae_log10: [f64; 3],
    pub covered: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Validation {
    pub scenario: String,
    pub seeds: Vec<u64>,
    pub posterior: Option<String>,
    pub ablated: Vec<String>,
    pub patterns: Vec<PatternShare>,
    pub rows: Vec<RowCheck>,
    pub holdout: Option<Holdout>,
    pub distance: Distance,
}

/// The calibration's own measure of fit, `sahel calibrate --fit-combatants`'s
/// ABC distance (observed::distance: the observed targets and the combatants
/// killed in 2013, ending by `fit_until`), for each member's run: lower is a
/// closer fit, 0 a perfect one. Comparable between scenarios only over the
/// same seeds.
#[derive(Clone, Debug, Serialize)]
pub struct Distance {
    pub fit_until: String,
    pub targets: usize,
    pub per_seed: Vec<f64>,
    pub mean: f64,
    /// Each target's share of the distance: its weight times its mean squared
    /// standardised error over the seeds, over the sum of the weights (these
    /// sum to the mean of the squared distances).
    pub terms: Vec<Term>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Term {
    pub date: String,
    pub indicator: String,
    pub scope: String,
    pub role: observed::Role,
    pub weight: f64,
    /// The mean standardised error over the seeds (log2 units for counts).
    pub mean_error: f64,
    pub share: f64,
}

/// Score an ensemble.
pub fn validate(
    scenario: &str,
    members: &[Member],
    rows: &[Row],
    posterior: Option<String>,
    ablated: Vec<String>,
    origin: Option<&str>,
    fit_until: &str,
) -> Validation {
    let verdicts: Vec<_> = members.iter().map(|m| score(&m.outcome.series, &m.outcome.kinds)).collect();
    let mut patterns = Vec::new();
    if let Some(first) = verdicts.first() {
        for (k, v) in first.iter().enumerate() {
            let holds_in = verdicts.iter().filter(|vs| vs[k].holds).count();
            let share = holds_in as f64 / verdicts.len() as f64;
            patterns.push(PatternShare {
                id: v.id.to_string(),
                criterion: v.criterion.to_string(),
                holds_in,
                of: verdicts.len(),
                share,
                holds: share >= HOLDS_SHARE,
                example: v.detail.clone(),
            });
        }
    }
    let sims = |r: &Row| -> Vec<f64> {
        members.iter().filter_map(|m| simulated(r, &m.outcome.series, &m.outcome.kinds)).collect()
    };
    let checks = rows
        .iter()
        .map(|r| {
            let v = sims(r);
            let (median, p05, p95) = (quantile(&v, 0.5), quantile(&v, 0.05), quantile(&v, 0.95));
            RowCheck {
                date: r.date.clone(),
                indicator: r.indicator.clone(),
                scope: r.scope.clone(),
                observed: r.value,
                source: r.source.clone(),
                median,
                p05,
                p95,
                inside: p05.zip(p95).map(|band| inside(r, band)),
            }
        })
        .collect();
    let holdout = origin.map(|o| holdout(members, rows, o));
    let mut targets = observed::targets(rows, fit_until);
    targets.extend(observed::combatant_targets(rows, fit_until));
    let errors: Vec<Vec<f64>> =
        members.iter().map(|m| observed::errors(&targets, &m.outcome.series, &m.outcome.kinds, rows)).collect();
    let wsum: f64 = targets.iter().map(|t| t.weight).sum();
    let per_seed: Vec<f64> = errors.iter().map(|e| observed::distance_of(&targets, e)).collect();
    // summed in seed order, so the means do not depend on the thread count
    let n = members.len().max(1) as f64;
    let mean = per_seed.iter().sum::<f64>() / n;
    let terms = targets
        .iter()
        .enumerate()
        .map(|(k, t)| Term {
            date: t.row.date.clone(),
            indicator: t.row.indicator.clone(),
            scope: t.row.scope.clone(),
            role: t.role,
            weight: t.weight,
            mean_error: errors.iter().map(|e| e[k]).sum::<f64>() / n,
            share: if wsum > 0.0 { t.weight * errors.iter().map(|e| e[k] * e[k]).sum::<f64>() / n / wsum } else { 0.0 },
        })
        .collect();
    let distance = Distance { fit_until: fit_until.to_string(), targets: targets.len(), per_seed, mean, terms };
    Validation {
        scenario: scenario.to_string(),
        seeds: members.iter().map(|m| m.outcome.seed).collect(),
        posterior,
        ablated,
        patterns,
        rows: checks,
        holdout,
        distance,
    }
}

/// Rows after `origin` with a model counterpart, beside persistence and a
/// linear trend fitted to the same series' rows up to `origin`.
fn holdout(members: &[Member], rows: &[Row], origin: &str) -> Holdout {
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| r.end().as_str() > origin) {
        let v: Vec<f64> = members.iter().filter_map(|m| simulated(r, &m.outcome.series, &m.outcome.kinds)).collect();
        let model = quantile(&v, 0.5);
        if model.is_none() {
            continue;
        }
        let past: Vec<&Row> = rows
            .iter()
            .filter(|p| p.indicator == r.indicator && p.scope == r.scope && p.end().as_str() <= origin)
            .collect();
        let persistence = past.iter().max_by(|a, b| a.time().total_cmp(&b.time())).map(|p| p.value);
        let trend = (past.len() >= 2).then(|| {
            let n = past.len() as f64;
            let mt = past.iter().map(|p| p.time()).sum::<f64>() / n;
            let mv = past.iter().map(|p| p.value).sum::<f64>() / n;
            let sxx: f64 = past.iter().map(|p| (p.time() - mt).powi(2)).sum();
            let sxy: f64 = past.iter().map(|p| (p.time() - mt) * (p.value - mv)).sum();
            let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
            (mv + b * (r.time() - mt)).max(0.0)
        });
        out.push(HoldoutRow {
            date: r.date.clone(),
            indicator: r.indicator.clone(),
            scope: r.scope.clone(),
            observed: r.value,
            model,
            persistence,
            trend,
        });
    }
    let l = |x: f64| (x.max(0.0) + 1.0).log10();
    let both: Vec<&HoldoutRow> =
        out.iter().filter(|h| h.model.is_some() && h.persistence.is_some() && h.trend.is_some()).collect();
    let mae = |f: &dyn Fn(&HoldoutRow) -> f64| -> f64 {
        if both.is_empty() {
            f64::NAN
        } else {
            both.iter().map(|h| (l(f(h)) - l(h.observed)).abs()).sum::<f64>() / both.len() as f64
        }
    };
    let mae_log10 =
        [mae(&|h| h.model.unwrap_or(0.0)), mae(&|h| h.persistence.unwrap_or(0.0)), mae(&|h| h.trend.unwrap_or(0.0))];
    Holdout { origin: origin.to_string(), covered: both.len(), rows: out, mae_log10 }
}

fn num(x: Option<f64>) -> String {
    match x {
        None => "–".into(),
        Some(v) if v.abs() >= 100.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.3}"),
    }
}

/// The scorecard as Markdown.
pub fn markdown(v: &Validation) -> String {
    let mut s = format!(
        "# Validation of `{}`\n\n{} seeds ({}..{}){}{}.\n\n",
        v.scenario,
        v.seeds.len(),
        v.seeds.first().copied().unwrap_or(0),
        v.seeds.last().copied().unwrap_or(0),
        v.posterior.as_ref().map_or(String::new(), |p| format!(", parameters drawn from `{p}`")),
        if v.ablated.is_empty() {
            String::new()
        } else {
            format!(", mechanisms switched off: {}", v.ablated.join(", "))
        }
    );
    s += &format!(
        "## Patterns (a pattern holds when it holds in ≥ {:.0} % of seeds)\n\n| pattern | criterion | holds in | verdict | example (first seed) |\n|---|---|---|---|---|\n",
        HOLDS_SHARE * 100.0
    );
    for p in &v.patterns {
        s += &format!(
            "| {} | {} | {}/{} ({:.0} %) | {} | {} |\n",
            p.id,
            p.criterion,
            p.holds_in,
            p.of,
            p.share * 100.0,
            if p.holds { "**holds**" } else { "fails" },
            p.example
        );
    }
    let d = &v.distance;
    if !d.per_seed.is_empty() {
        let lo = d.per_seed.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = d.per_seed.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        s += &format!(
            "\nCalibration distance (`sahel calibrate --fit-combatants`'s, {} targets ending by {}): mean {:.3} over the {} seeds, {:.3}–{:.3}.\n",
            d.targets,
            d.fit_until,
            d.mean,
            d.per_seed.len(),
            lo,
            hi
        );
        let mut terms: Vec<&Term> = d.terms.iter().collect();
        terms.sort_by(|a, b| b.share.total_cmp(&a.share));
        s += "\nThe targets that weigh most in it (share: weight × mean squared error ÷ total weight; the shares sum to the mean squared distance):\n\n| date | indicator | scope | role | weight | mean error | share |\n|---|---|---|---|---|---|---|\n";
        for t in terms.iter().take(10) {
            s += &format!(
                "| {} | {} | {} | {:?} | {} | {:+.2} | {:.3} |\n",
                t.date, t.indicator, t.scope, t.role, t.weight, t.mean_error, t.share
            );
        }
    }
    s += "\n## Observed rows against the ensemble\n\n| date | indicator | scope | observed | median | 90 % band | inside |\n|---|---|---|---|---|---|---|\n";
    for r in &v.rows {
        s += &format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            r.date,
            r.indicator,
            r.scope,
            num(Some(r.observed)),
            num(r.median),
            match (r.p05, r.p95) {
                (Some(a), Some(b)) => format!("{}–{}", num(Some(a)), num(Some(b))),
                _ => "no counterpart".into(),
            },
            match r.inside {
                Some(true) => "yes",
                Some(false) => "no",
                None => "–",
            }
        );
    }
    if let Some(h) = &v.holdout {
        s += &format!(
            "\n## Held out after {}\n\n| date | indicator | scope | observed | model median | persistence | linear trend |\n|---|---|---|---|---|---|---|\n",
            h.origin
        );
        for r in &h.rows {
            s += &format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                r.date,
                r.indicator,
                r.scope,
                num(Some(r.observed)),
                num(r.model),
                num(r.persistence),
                num(r.trend)
            );
        }
        s += &format!(
            "\nMean absolute error, log10(x + 1), over the {} rows all three cover: model {:.3}, persistence {:.3}, linear trend {:.3}.\n",
            h.covered, h.mae_log10[0], h.mae_log10[1], h.mae_log10[2]
        );
    }
    s
}

/// The forecast table: for each year in `years`, the median and the 50 % and
/// 90 % intervals over the ensemble of national, northern and central deaths,
/// the IDP stock on 31 December, and the share of the country's land held on
/// 31 December by each kind of actor (`control.<kind>`, summed over actors).
pub fn forecast_csv(members: &[Member], years: std::ops::RangeInclusive<i32>) -> String {
    let mut s = String::from("year,indicator,scope,median,p25,p75,p05,p95,members\n");
    let kinds = ["state", "militia", "foreign", "rebel", "jihadist"];
    for y in years {
        let end = format!("{y}-12-31");
        let mut lines: Vec<(String, String, Vec<f64>)> = Vec::new();
        let deaths = |regions: &[&str]| -> Vec<f64> {
            members.iter().map(|m| regions.iter().map(|r| m.outcome.series.year_sum(r, "deaths", y)).sum()).collect()
        };
        lines.push(("deaths".into(), "Mali".into(), deaths(&["Mali"])));
        lines.push(("deaths".into(), "north".into(), deaths(&NORTH)));
        lines.push(("deaths".into(), "centre".into(), deaths(&CENTRE)));
        lines.push((
            "idps".into(),
            "Mali".into(),
            members.iter().map(|m| m.outcome.series.on("Mali", "idps", &end).unwrap_or(0.0)).collect(),
        ));
        for k in kinds {
            let v = members
                .iter()
                .map(|m| {
                    m.outcome
                        .kinds
                        .iter()
                        .filter(|(_, kind)| kind.as_str() == k)
                        .map(|(a, _)| m.outcome.series.on("Mali", &format!("control.{a}"), &end).unwrap_or(0.0))
                        .sum()
                })
                .collect();
            lines.push((format!("control.{k}"), "Mali".into(), v));
        }
        for (ind, scope, v) in lines {
            let q = |p: f64| quantile(&v, p).map_or("".into(), |x| format!("{x:.4}"));
            s += &format!("{y},{ind},{scope},{},{},{},{},{},{}\n", q(0.5), q(0.25), q(0.75), q(0.05), q(0.95), v.len());
        }
    }
    s
}

/// Whether an observed row agrees with the ensemble's 90 % band `(p05, p95)`:
/// the value lies in it; for a bound (`_at_most`: the truth is at most the
/// value), the band reaches down to it; for a lower bound (`_at_least`), up to it.
fn inside(r: &Row, (p05, p95): (f64, f64)) -> bool {
    if r.indicator.ends_with("_at_most") {
        p05 <= r.value
    } else if r.indicator.ends_with("_at_least") {
        r.value <= p95
    } else {
        p05 <= r.value && r.value <= p95
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_is_met_when_the_band_reaches_below_it() {
        let row = |indicator: &str| Row {
            date: "2014".into(),
            indicator: indicator.into(),
            scope: "France".into(),
            value: 10.0,
            source: "x".into(),
        };
        assert!(inside(&row("deaths_in_hostile_acts_at_most"), (0.1, 2.0)));
        assert!(inside(&row("deaths_in_hostile_acts_at_most"), (9.0, 50.0)));
        assert!(!inside(&row("deaths_in_hostile_acts_at_most"), (11.0, 50.0)));
        assert!(!inside(&row("deaths_in_hostile_acts"), (0.1, 2.0)));
        assert!(inside(&row("deaths_in_hostile_acts"), (9.0, 50.0)));
        assert!(inside(&row("killed_at_least"), (11.0, 50.0)));
        assert!(inside(&row("killed_at_least"), (1.0, 10.0)));
        assert!(!inside(&row("killed_at_least"), (1.0, 9.0)));
    }
}
