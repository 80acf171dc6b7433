//! The observed series (`data/mali/observed-2012-2017.csv`), the model's
//! counterpart of each row, and the calibration targets and distance made from
//! them.

pub use sahel_mali::patterns::Kinds;
use sahel_mali::patterns::{capital_holder, state_side_kind, Series, CENTRE, NORTH};
use serde::Serialize;

/// The observed file as shipped (a copy of the shared data, sources in each row).
pub const OBSERVED: &str = include_str!("../../../data/mali/observed-2012-2017.csv");

/// Foreign forces' deaths in hostile acts, 2013–2017 (MINUSMA's peacekeepers,
/// French soldiers), added by the project from the UN and the press (same
/// columns; sources in each row): a year's count, or a bound on it
/// (`deaths_in_hostile_acts_at_most`) where only a total over years is known.
pub const FOREIGN_LOSSES: &str = include_str!("../../../data/mali/foreign-losses-2013-2017.csv");

/// Combatants killed in the first months of 2013 (the jihadist groups, the
/// army), from the Malian army's statement of 2013-03-28 (same columns; sources
/// in each row): lower bounds on a year's dead (`killed_at_least`), the scope an
/// actor's name or an actor kind.
pub const COMBATANT_LOSSES: &str = include_str!("../../../data/mali/combatant-losses-2013.csv");

/// The origin named for the built-in rows.
pub const BUILTIN_ORIGIN: &str =
    "data/mali/observed-2012-2017.csv + data/mali/foreign-losses-2013-2017.csv + data/mali/combatant-losses-2013.csv";

/// Who held the northern capitals, 2012–2014, from the timeline of
/// `data/mali/facts.md` (same columns as the observed file; value 1: the
/// capital was held by an actor of the class the indicator names, 0: it was not).
pub const CONTROL: &str = include_str!("../../../data/mali/control-2012-2014.csv");

/// One observed row.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Row {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the period the value covers.
    pub date: String,
    pub indicator: String,
    pub scope: String,
    pub value: f64,
    pub source: String,
}

impl Row {
    /// The last day the row covers, as `YYYY-MM-DD`.
    pub fn end(&self) -> String {
        match self.date.len() {
            4 => format!("{}-12-31", self.date),
            7 => {
                let (y, m): (i64, u32) = (self.date[..4].parse().unwrap_or(0), self.date[5..].parse().unwrap_or(1));
                let next = if m == 12 {
                    sahel_mali::calendar::Date::from_ymd(y + 1, 1, 1)
                } else {
                    sahel_mali::calendar::Date::from_ymd(y, m + 1, 1)
                };
                next.map(|d| d.add_days(-1).to_string()).unwrap_or_else(|| self.date.clone())
            }
            _ => self.date.clone(),
        }
    }

    /// Decimal year of the row's middle, for trend baselines.
    pub fn time(&self) -> f64 {
        let y: f64 = self.date[..4].parse().unwrap_or(0.0);
        match self.date.len() {
            4 => y + 0.5,
            7 => y + (self.date[5..].parse::<f64>().unwrap_or(1.0) - 0.5) / 12.0,
            _ => y + (self.date[5..7].parse::<f64>().unwrap_or(1.0) - 1.0) / 12.0,
        }
    }
}

/// Parse the observed file; errors name the line.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim() == "date,indicator,scope,value,source" => {}
        _ => return Err(format!("{origin}:1:1: expected the header `date,indicator,scope,value,source`")),
    }
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.splitn(5, ',').collect();
        if f.len() != 5 {
            return Err(format!("{origin}:{}:1: expected 5 fields: date,indicator,scope,value,source", i + 1));
        }
        let ok_date = matches!(f[0].len(), 4 | 7 | 10) && f[0][..4].parse::<u32>().is_ok();
        if !ok_date {
            return Err(format!("{origin}:{}:1: `{}`: expected a date YYYY, YYYY-MM or YYYY-MM-DD", i + 1, f[0]));
        }
        let col = f[0].len() + f[1].len() + f[2].len() + 4;
        let value: f64 =
            f[3].trim().parse().map_err(|_| format!("{origin}:{}:{col}: `{}`: expected a number", i + 1, f[3]))?;
        rows.push(Row {
            date: f[0].to_string(),
            indicator: f[1].to_string(),
            scope: f[2].to_string(),
            value,
            source: f[4].to_string(),
        });
    }
    Ok(rows)
}

/// The shipped observed rows: the observed file, the foreign forces' losses,
/// then the combatants killed in early 2013.
pub fn builtin() -> Vec<Row> {
    let mut rows = parse(OBSERVED, "data/mali/observed-2012-2017.csv").expect("the shipped observed file parses");
    rows.extend(parse(FOREIGN_LOSSES, "data/mali/foreign-losses-2013-2017.csv").expect("the shipped file parses"));
    rows.extend(parse(COMBATANT_LOSSES, "data/mali/combatant-losses-2013.csv").expect("the shipped file parses"));
    rows
}

/// The shipped control rows.
pub fn control_rows() -> Vec<Row> {
    parse(CONTROL, "data/mali/control-2012-2014.csv").expect("the shipped control file parses")
}

/// Whether an actor of kind `kind` belongs to the class a `capital.<class>`
/// indicator names (`state_side`: the state side of the patterns; otherwise the
/// kind itself).
fn in_class(kind: &str, class: &str) -> bool {
    match class {
        "state_side" => state_side_kind(kind),
        c => kind == c,
    }
}

/// Regions a scope of the observed file stands for (`None`: no counterpart).
fn regions(scope: &str) -> Option<Vec<&'static str>> {
    const SOUTH: [&str; 4] = ["Kayes", "Koulikoro", "Sikasso", "Bamako"];
    const ALL: [&str; 9] = ["Kayes", "Koulikoro", "Sikasso", "Bamako", "Ségou", "Mopti", "Tombouctou", "Gao", "Kidal"];
    if scope == "Mali" || scope.starts_with("Mali (") {
        return Some(vec!["Mali"]);
    }
    if scope.starts_with("north") {
        return Some(NORTH.to_vec());
    }
    if scope.starts_with("centre") {
        return Some(CENTRE.to_vec());
    }
    if scope.starts_with("south and west") {
        return Some(SOUTH.to_vec());
    }
    ALL.iter().find(|r| **r == scope).map(|r| vec![*r])
}

/// The surveys of trust in the government or the president, whose
/// counterpart is `legitimacy.state`.
const TRUST_SURVEYS: [&str; 4] = [
    "survey.trust_government",
    "survey.trust_president",
    "survey.trust_president_and_government",
    "survey.satisfied_with_president",
];

/// The model's counterpart of an observed row, if it has one:
/// * deaths of every count (UCDP organised violence and battle deaths, ACLED) →
///   `deaths` summed over the period and the scope's regions;
/// * `violent_events` → `violent_events` likewise;
/// * `idps` and `refugees` (abroad) → the stock's mean over the period;
/// * surveys of trust in the government or the president → `legitimacy.state`
///   in the scope over the period (a loose counterpart: reported, never fitted);
/// * `capital.<class>` (the control file) → 1 when the region's capital is held
///   on the row's date by an actor of that class (`kinds` names each actor's
///   kind), else 0;
/// * a foreign force's deaths in hostile acts (the scope names the actor) →
///   its `losses.<actor>` summed over the period;
/// * combatants killed (`killed_at_least`; the scope an actor or an actor kind)
///   → the `losses.<actor>` of that actor, or of every actor of that kind,
///   summed over the period.
pub fn simulated(row: &Row, s: &Series, kinds: &Kinds) -> Option<f64> {
    let ind = row.indicator.as_str();
    if ind == "killed_at_least" {
        let actors: Vec<&String> =
            kinds.iter().filter(|(a, k)| *a == &row.scope || *k == &row.scope).map(|(a, _)| a).collect();
        let series: Vec<String> = actors.iter().map(|a| format!("losses.{a}")).filter(|l| s.has("Mali", l)).collect();
        return (!series.is_empty()).then(|| series.iter().map(|l| s.sum_prefix("Mali", l, &row.date)).sum());
    }
    if ind == "deaths_in_hostile_acts" || ind == "deaths_in_hostile_acts_at_most" {
        let losses = format!("losses.{}", row.scope);
        return s.has("Mali", &losses).then(|| s.sum_prefix("Mali", &losses, &row.date));
    }
    if let Some(class) = ind.strip_prefix("capital.") {
        let holder = capital_holder(s, kinds, &row.scope, &row.end());
        return Some(holder.is_some_and(|a| in_class(&kinds[a], class)) as u8 as f64);
    }
    match ind {
        "deaths_organised_violence" | "battle_related_deaths" | "deaths_all_events" | "deaths_violent_events" => {
            Some(regions(&row.scope)?.iter().map(|r| s.sum_prefix(r, "deaths", &row.date)).sum())
        }
        "violent_events" => {
            Some(regions(&row.scope)?.iter().map(|r| s.sum_prefix(r, "violent_events", &row.date)).sum())
        }
        "idps" => s.mean_prefix("Mali", "idps", &row.date),
        "refugees" => s.mean_prefix("Mali", "refugees", &row.date),
        _ if TRUST_SURVEYS.contains(&ind) => {
            let r = regions(&row.scope)?;
            if r.len() != 1 {
                return None;
            }
            s.mean_prefix(r[0], "legitimacy.state", &row.date)
        }
        _ => None,
    }
}

/// How a row enters the calibration distance.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Fitted: the log-ratio of simulated to observed, in units of ln 2.
    Point,
    /// A lower bound: only a simulation below it is penalised.
    Lower,
    /// An upper bound: only a simulation above it is penalised.
    Upper,
    /// The centre's share of the national deaths of the same period, in units of 0.1.
    CentreShare,
    /// Who held a town (the control file): 1 unit when the holder is of the
    /// wrong class, 0 when right.
    Holds,
    /// A surveyed share (trust in the government): the simulated minus the
    /// observed share, in units of 0.2 (a loose counterpart: an urban sample
    /// against a region's or the country's mean support).
    Level,
}

#[derive(Clone, Debug, Serialize)]
pub struct Target {
    pub row: Row,
    pub role: Role,
    pub weight: f64,
}

/// The calibration targets among `rows` that end on or before `fit_until`:
/// * UCDP GED deaths in organised violence, each year: fitted (weight 1);
/// * UCDP battle-related deaths: a lower bound (a subset of organised violence);
/// * ACLED's deaths (the 2013-01 monthly peak, the 2017 national total): upper
///   bounds (ACLED counts more kinds of event than UCDP);
/// * the centre's share of ACLED's 2017 deaths: fitted (weight 2);
/// * the IDP stock (10 dates, weight 0.6 each) and refugees abroad (5 dates,
///   weight 1.2 each): fitted, so that displacement and deaths weigh about alike;
/// * ACLED's count of violent events in 2017: fitted (weight 1): how often
///   armed groups strike (M10's raids), apart from how deadly each strike is;
/// * foreign forces' deaths in hostile acts: a year's count fitted (weight 1),
///   a bound on a year an upper bound (weight 0.5): who dies, not only how many.
///
/// Surveys and regional totals are kept for validation only.
pub fn targets(rows: &[Row], fit_until: &str) -> Vec<Target> {
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| r.end().as_str() <= fit_until) {
        let t = |role, weight| Target { row: r.clone(), role, weight };
        match (r.indicator.as_str(), r.scope.as_str()) {
            ("deaths_organised_violence", "Mali") => out.push(t(Role::Point, 1.0)),
            ("battle_related_deaths", "Mali") => out.push(t(Role::Lower, 1.0)),
            ("deaths_all_events", "Mali") | ("deaths_violent_events", "Mali") => out.push(t(Role::Upper, 1.0)),
            ("deaths_violent_events", s) if s.starts_with("centre") => out.push(t(Role::CentreShare, 2.0)),
            ("idps", "Mali") => out.push(t(Role::Point, 0.6)),
            ("violent_events", "Mali") => out.push(t(Role::Point, 1.0)),
            ("refugees", _) => out.push(t(Role::Point, 1.2)),
            ("deaths_in_hostile_acts", _) => out.push(t(Role::Point, 1.0)),
            ("deaths_in_hostile_acts_at_most", _) => out.push(t(Role::Upper, 0.5)),
            _ => {}
        }
    }
    out
}

/// The combatants killed in early 2013 (`killed_at_least` rows) as calibration
/// targets, those dated on or before `fit_until`: lower bounds, weight 1 each.
/// Opt-in (`sahel calibrate --fit-combatants`): the counts are one party's
/// estimate, which pins how deadly the foreign forces' fire was in 2013.
pub fn combatant_targets(rows: &[Row], fit_until: &str) -> Vec<Target> {
    rows.iter()
        .filter(|r| r.indicator == "killed_at_least" && r.end().as_str() <= fit_until)
        .map(|r| Target { row: r.clone(), role: Role::Lower, weight: 1.0 })
        .collect()
}

/// The surveys of trust in the government or the president that have a
/// counterpart (one region, or the country: `legitimacy.state`) as calibration
/// targets, those dated on or before `fit_until`, weight 0.5 each (the seven
/// rows of 2014-2016 weigh 3.5, about half as much as the six years of deaths).
/// Opt-in (`sahel calibrate --fit-surveys`): they are the only observations of
/// how support for the state moves, which M2's `relax_per_week` sets; with
/// them those rows are no longer out-of-sample evidence.
pub fn survey_targets(rows: &[Row], fit_until: &str) -> Vec<Target> {
    rows.iter()
        .filter(|r| r.end().as_str() <= fit_until)
        .filter(|r| TRUST_SURVEYS.contains(&r.indicator.as_str()))
        .filter(|r| regions(&r.scope).is_some_and(|v| v.len() == 1))
        .map(|r| Target { row: r.clone(), role: Role::Level, weight: 0.5 })
        .collect()
}

/// Who held the northern capitals (`control_rows`) as calibration targets,
/// those dated on or before `fit_until`, weight 1 each: a capital in the wrong
/// hands on one date counts as much as a year's deaths off by a factor of two.
/// Opt-in (`sahel calibrate --fit-control`): with them the patterns P1–P3,
/// which read the same holders, are no longer out-of-sample evidence.
pub fn control_targets(rows: &[Row], fit_until: &str) -> Vec<Target> {
    rows.iter()
        .filter(|r| r.indicator.starts_with("capital.") && r.end().as_str() <= fit_until)
        .map(|r| Target { row: r.clone(), role: Role::Holds, weight: 1.0 })
        .collect()
}

/// Each target's standardised error on a run (0 = a perfect fit).
pub fn errors(targets: &[Target], s: &Series, kinds: &Kinds, rows: &[Row]) -> Vec<f64> {
    let ln2 = std::f64::consts::LN_2;
    let lr = |sim: f64, obs: f64| ((sim.max(0.0) + 1.0).ln() - (obs + 1.0).ln()) / ln2;
    targets
        .iter()
        .map(|t| {
            let sim = simulated(&t.row, s, kinds).unwrap_or(0.0);
            match t.role {
                Role::Point => lr(sim, t.row.value),
                Role::Lower => lr(sim, t.row.value).min(0.0),
                Role::Upper => lr(sim, t.row.value).max(0.0),
                Role::Holds => sim - t.row.value,
                Role::Level => (sim - t.row.value) / 0.2,
                Role::CentreShare => {
                    let national = rows
                        .iter()
                        .find(|r| r.indicator == t.row.indicator && r.date == t.row.date && r.scope == "Mali")
                        .map_or(0.0, |r| r.value);
                    let mut all = t.row.clone();
                    all.scope = "Mali".into();
                    let sim_all = simulated(&all, s, kinds).unwrap_or(0.0);
                    let sim_share = if sim_all > 0.0 { sim / sim_all } else { 0.0 };
                    let obs_share = if national > 0.0 { t.row.value / national } else { 0.0 };
                    (sim_share - obs_share) / 0.1
                }
            }
        })
        .collect()
}

/// The ABC distance: the root of the weighted mean squared standardised error.
pub fn distance(targets: &[Target], s: &Series, kinds: &Kinds, rows: &[Row]) -> f64 {
    distance_of(targets, &errors(targets, s, kinds, rows))
}

/// The ABC distance from the targets' standardised errors (`errors`).
pub fn distance_of(targets: &[Target], e: &[f64]) -> f64 {
    let wsum: f64 = targets.iter().map(|t| t.weight).sum();
    if wsum <= 0.0 {
        return 0.0;
    }
    (targets.iter().zip(e).map(|(t, z)| t.weight * z * z).sum::<f64>() / wsum).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses_and_has_targets() {
        let rows = builtin();
        assert!(rows.len() >= 40);
        let all = targets(&rows, "2017-12-31");
        assert_eq!(all.iter().filter(|t| t.row.indicator == "deaths_organised_violence").count(), 6);
        let early = targets(&rows, "2015-12-31");
        assert_eq!(early.iter().filter(|t| t.row.indicator == "deaths_organised_violence").count(), 4);
        assert!(early.iter().all(|t| t.row.end().as_str() <= "2015-12-31"));
        // how often groups strike: ACLED's 2017 count is fitted, and unseen before 2016
        assert_eq!(all.iter().filter(|t| t.row.indicator == "violent_events").count(), 1);
        assert!(early.iter().all(|t| t.row.indicator != "violent_events"));
    }

    /// Who dies: MINUSMA's 2017 count is fitted, the other years' bounds bound,
    /// each read from the actor's `losses.<actor>` series.
    #[test]
    fn foreign_losses_are_fitted_from_the_losses_series() {
        let rows = builtin();
        let all = targets(&rows, "2017-12-31");
        let of = |ind: &str, role: Role| all.iter().filter(|t| t.row.indicator == ind && t.role == role).count();
        assert_eq!(of("deaths_in_hostile_acts", Role::Point), 3);
        assert_eq!(of("deaths_in_hostile_acts_at_most", Role::Upper), 7);
        let csv = "date,step,scope,indicator,value\n\
                   2017-01-07,1,Mali,losses.MINUSMA,30\n\
                   2017-01-14,2,Mali,losses.MINUSMA,12\n\
                   2018-01-06,3,Mali,losses.MINUSMA,99\n";
        let s = Series::parse(csv).unwrap();
        let kinds: Kinds = [("MINUSMA", "foreign")].iter().map(|(a, k)| (a.to_string(), k.to_string())).collect();
        let minusma = rows.iter().find(|r| r.indicator == "deaths_in_hostile_acts" && r.date == "2017").unwrap();
        assert_eq!(simulated(minusma, &s, &kinds), Some(42.0));
        let france = rows.iter().find(|r| r.scope == "France").unwrap();
        assert_eq!(simulated(france, &s, &kinds), None, "no France in this run: no counterpart");
        // 42 against 21 is one unit (a factor of two, in log(x + 1)); an upper bound met costs nothing
        let t = Target { row: minusma.clone(), role: Role::Point, weight: 1.0 };
        let e = errors(&[t], &s, &kinds, &rows)[0];
        assert!((e - (43.0f64 / 22.0).ln() / std::f64::consts::LN_2).abs() < 1e-12, "{e}");
    }

    /// A `killed_at_least` row reads the losses of every actor of the kind it
    /// names (or of the actor it names), and is a lower bound only when opted in.
    #[test]
    fn combatants_killed_are_summed_over_the_kind() {
        let rows = builtin();
        assert!(targets(&rows, "2017-12-31").iter().all(|t| t.row.indicator != "killed_at_least"));
        let c = combatant_targets(&rows, "2017-12-31");
        assert_eq!(c.len(), 2);
        assert!(c.iter().all(|t| t.role == Role::Lower && t.row.date == "2013"));
        let csv = "date,step,scope,indicator,value\n\
                   2013-02-02,1,Mali,losses.AQIM,300\n\
                   2013-02-02,1,Mali,losses.Ansar Dine,200\n\
                   2013-02-02,1,Mali,losses.MNLA,50\n\
                   2013-02-02,1,Mali,losses.FAMa,70\n\
                   2014-02-01,2,Mali,losses.AQIM,999\n";
        let s = Series::parse(csv).unwrap();
        let kinds: Kinds = [("AQIM", "jihadist"), ("Ansar Dine", "jihadist"), ("MNLA", "rebel"), ("FAMa", "state")]
            .iter()
            .map(|(a, k)| (a.to_string(), k.to_string()))
            .collect();
        let jihadist = c.iter().find(|t| t.row.scope == "jihadist").unwrap();
        assert_eq!(simulated(&jihadist.row, &s, &kinds), Some(500.0));
        let fama = c.iter().find(|t| t.row.scope == "FAMa").unwrap();
        assert_eq!(simulated(&fama.row, &s, &kinds), Some(70.0));
        // 500 < 600: penalised; 70 >= 63: not
        let e = errors(&c, &s, &kinds, &rows);
        assert!(e[0] < 0.0 && e[1] == 0.0, "{e:?}");
    }

    /// The surveys with a counterpart are opt-in targets: a share's error is
    /// its gap in units of 0.2, read from `legitimacy.state`.
    #[test]
    fn survey_targets_are_the_trust_rows_with_a_counterpart() {
        let rows = builtin();
        assert!(targets(&rows, "2017-12-31").iter().all(|t| !t.row.indicator.starts_with("survey.")));
        let all = survey_targets(&rows, "2017-12-31");
        // Gao and Kidal (government, president; Dec 2014) and three national rows;
        // Menaka (no region of its own in 2012) and the questions on safety have none
        assert_eq!(all.len(), 7, "{:?}", all.iter().map(|t| &t.row.scope).collect::<Vec<_>>());
        assert!(all.iter().all(|t| t.role == Role::Level && t.weight == 0.5));
        assert!(all.iter().all(|t| !t.row.scope.starts_with("Menaka")));
        assert_eq!(survey_targets(&rows, "2015-12-31").len(), 6);
        assert!(survey_targets(&rows, "2013-12-31").is_empty());
        let csv = "date,step,scope,indicator,value\n\
                   2014-12-06,1,Gao,legitimacy.state,0.2\n\
                   2014-12-13,2,Gao,legitimacy.state,0.4\n\
                   2015-01-03,3,Gao,legitimacy.state,0.9\n";
        let s = Series::parse(csv).unwrap();
        let gao = all.iter().find(|t| t.row.scope == "Gao" && t.row.indicator == "survey.trust_government").unwrap();
        assert_eq!(simulated(&gao.row, &s, &Kinds::new()), Some(0.30000000000000004));
        // 0.3 against 0.758: 2.29 units of 0.2
        let e = errors(std::slice::from_ref(gao), &s, &Kinds::new(), &rows)[0];
        assert!((e - (0.30000000000000004 - 0.758) / 0.2).abs() < 1e-12, "{e}");
    }

    #[test]
    fn control_targets_read_the_holder_kind() {
        let rows = control_rows();
        assert_eq!(control_targets(&rows, "2017-12-31").len(), 12);
        // the rolling-origin fit keeps them (all end by 2014); a fit to 2012 keeps nine
        assert_eq!(control_targets(&rows, "2015-12-31").len(), 12);
        assert_eq!(control_targets(&rows, "2012-12-31").len(), 9);
        let kinds: Kinds = [("FAMa", "state"), ("MNLA", "rebel"), ("AQIM", "jihadist"), ("France", "foreign")]
            .iter()
            .map(|(a, k)| (a.to_string(), k.to_string()))
            .collect();
        // Gao: the state until May 2012, then AQIM, then the state again from 2013
        let csv = "date,step,scope,indicator,value\n\
                   2012-01-01,0,Gao,capital.FAMa,1\n2012-01-01,0,Gao,capital.AQIM,0\n\
                   2012-05-05,18,Gao,capital.FAMa,0\n2012-05-05,18,Gao,capital.AQIM,1\n\
                   2013-02-02,56,Gao,capital.FAMa,1\n2013-02-02,56,Gao,capital.AQIM,0\n";
        let s = Series::parse(csv).unwrap();
        let gao: Vec<Target> =
            control_targets(&rows, "2017-12-31").into_iter().filter(|t| t.row.scope == "Gao").collect();
        assert_eq!(gao.len(), 4);
        let sim: Vec<f64> = gao.iter().map(|t| simulated(&t.row, &s, &kinds).unwrap()).collect();
        // 2012-04-15 state side: yes (1, the record says 0); 2012-09-01 and -12-31
        // jihadist: yes; 2013-03-01 state side: yes
        assert_eq!(sim, vec![1.0, 1.0, 1.0, 1.0]);
        assert_eq!(errors(&gao, &s, &kinds, &rows), vec![1.0, 0.0, 0.0, 0.0]);
        // a holder of the wrong kind misses by one unit; an unknown holder is of no class
        let mnla = Series::parse(&csv.replace("AQIM", "MNLA")).unwrap();
        assert_eq!(errors(&gao, &mnla, &kinds, &rows), vec![1.0, -1.0, -1.0, 0.0]);
        assert_eq!(errors(&gao, &s, &Kinds::new(), &rows), vec![0.0, -1.0, -1.0, -1.0]);
    }

    #[test]
    fn bad_rows_are_located() {
        let e = parse("date,indicator,scope,value,source\n2012,deaths,Mali,lots,x\n", "f.csv").unwrap_err();
        assert!(e.starts_with("f.csv:2:"), "{e}");
        let e = parse("date,indicator,scope,value,source\n12,deaths,Mali,3,x\n", "f.csv").unwrap_err();
        assert!(e.starts_with("f.csv:2:1:"), "{e}");
        assert!(parse("nope\n", "f.csv").unwrap_err().starts_with("f.csv:1:1:"));
    }

    #[test]
    fn periods_end_on_their_last_day() {
        let r = |d: &str| Row {
            date: d.into(),
            indicator: "x".into(),
            scope: "Mali".into(),
            value: 0.0,
            source: "".into(),
        };
        assert_eq!(r("2016").end(), "2016-12-31");
        assert_eq!(r("2016-02").end(), "2016-02-29");
        assert_eq!(r("2013-12").end(), "2013-12-31");
    }

    #[test]
    fn a_perfect_simulation_has_distance_zero() {
        // a series that reproduces each fitted row exactly
        let rows = builtin();
        let mut csv = String::from("date,step,scope,indicator,value\n");
        for y in 2012..=2017 {
            let v = rows
                .iter()
                .find(|r| r.indicator == "deaths_organised_violence" && r.date == y.to_string())
                .unwrap()
                .value;
            csv += &format!("{y}-06-30,0,Mali,deaths,{v}\n");
        }
        let s = Series::parse(&csv).unwrap();
        let t: Vec<Target> = targets(&rows, "2017-12-31")
            .into_iter()
            .filter(|t| t.row.indicator == "deaths_organised_violence")
            .collect();
        assert!(distance(&t, &s, &Kinds::new(), &rows) < 1e-12);
        // ten times too many deaths every year: log2(10) = 3.3 units
        let csv10 = csv.replace(",359\n", ",3590\n");
        let s10 = Series::parse(&csv10).unwrap();
        let e = errors(&t, &s10, &Kinds::new(), &rows);
        assert!((e[0] - (3591f64 / 360.0).log2()).abs() < 1e-9);
    }
}
