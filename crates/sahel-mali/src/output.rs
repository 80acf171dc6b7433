//! Outputs: the tidy series (`date,step,scope,indicator,value`), recorded every
//! step for the country (`Mali`) and each region, and a run's summary.

use crate::calendar::Date;
use crate::scenario::Kind;
use crate::step::{Cause, Killer, Tallies, Victim};
use crate::world::*;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The recorded series, as CSV text, plus yearly national totals for the summary.
pub struct Recorder {
    pub csv: String,
    pub scopes: Vec<String>,
    /// (year, deaths) national.
    pub yearly_deaths: Vec<(i64, f64)>,
    pub rows: usize,
    /// National series for the report: date, deaths, idps, refugees, state side's
    /// control of the north, accord implementation, active persons.
    pub national: Vec<(Date, [f64; 6])>,
    /// Controller of every cell on the first day of each year and at the end.
    pub snapshots: Vec<(Date, Vec<u8>)>,
    /// Who killed whom, as CSV text (`date,step,victim,killer,cause,persons`),
    /// one row per step and non-zero (victim, killer, cause).
    pub dyads: String,
    /// The same summed by year: (year, victim, killer) to persons.
    pub dyads_by_year: BTreeMap<(i64, String, String), f64>,
}

impl Recorder {
    pub fn new(w: &World) -> Recorder {
        let mut scopes = vec!["Mali".to_string()];
        scopes.extend(w.raster.regions.iter().map(|r| r.name.clone()));
        Recorder {
            csv: String::from("date,step,scope,indicator,value\n"),
            scopes,
            yearly_deaths: Vec::new(),
            rows: 0,
            national: Vec::new(),
            snapshots: Vec::new(),
            dyads: String::from("date,step,victim,killer,cause,persons\n"),
            dyads_by_year: BTreeMap::new(),
        }
    }

    fn put(&mut self, date: Date, step: u64, scope: usize, indicator: &str, value: f64) {
        let _ = writeln!(self.csv, "{date},{step},{},{indicator},{}", self.scopes[scope], fmt(value));
        self.rows += 1;
    }

    /// Record the state after a step (or the initial state, with empty tallies).
    pub fn record(&mut self, w: &World, t: &Tallies) {
        // the initial state is dated the start; a step's row, its last day
        let date = if w.step == 0 { w.clock.start } else { w.today().add_days(-1) };
        let step = w.step;
        let nr = w.raster.regions.len();
        let na = w.actors.len();
        let region_of_cell = |c: u32| w.raster.region[c as usize] as usize + 1;
        // per scope sums (scope 0 = Mali)
        let mut people = vec![0.0; nr + 1];
        let mut idps = vec![0.0; nr + 1];
        let mut active = vec![0.0; nr + 1];
        let mut refugees = 0.0;
        let mut fighters = vec![vec![0.0; nr + 1]; na];
        for i in 0..w.agents() {
            let s = region_of_cell(w.cell[i]);
            match w.state[i] {
                QUIET | ACTIVE | DISPLACED | DETAINED => {
                    people[s] += w.weight[i];
                    if w.state[i] == DISPLACED {
                        idps[s] += w.weight[i];
                    }
                    if w.state[i] == ACTIVE {
                        active[s] += w.weight[i];
                    }
                }
                FIGHTER => fighters[w.affil[i] as usize][s] += w.weight[i],
                REFUGEE => refugees += w.weight[i],
                _ => {}
            }
        }
        for a in 0..na {
            for c in 0..w.raster.len() {
                fighters[a][region_of_cell(c as u32)] += w.foreign[a][c];
            }
        }
        // control: population share of cells each actor holds
        let nc = w.communities.len();
        let mut held = vec![vec![0.0; nr + 1]; na];
        let mut pop_cells = vec![0.0; nr + 1];
        // each actor's support, weighted by the people who give it (the
        // state's is its legitimacy)
        let mut backing = vec![vec![0.0; nr + 1]; na];
        let state = w.state_actor();
        for c in 0..w.raster.len() {
            let s = region_of_cell(c as u32);
            let pc = w.people(c);
            held[w.controller[c] as usize][s] += pc;
            pop_cells[s] += pc;
            for k in 0..nc {
                let n = w.cell_people[c * nc + k];
                if n > 0.0 {
                    for (b, &x) in backing.iter_mut().zip(w.support_row(c, k)) {
                        b[s] += n * x as f64;
                    }
                }
            }
        }
        for v in [&mut people, &mut idps, &mut active, &mut pop_cells] {
            v[0] = v[1..].iter().sum();
        }
        for a in 0..na {
            fighters[a][0] = fighters[a][1..].iter().sum();
            held[a][0] = held[a][1..].iter().sum();
            backing[a][0] = backing[a][1..].iter().sum();
        }
        let mut deaths = vec![0.0; nr + 1];
        let mut civ = vec![0.0; nr + 1];
        let mut events = vec![0.0; nr + 1];
        if !t.deaths.is_empty() {
            deaths[1..].copy_from_slice(&t.deaths[..nr]);
            civ[1..].copy_from_slice(&t.deaths_civilian[..nr]);
            events[1..].copy_from_slice(&t.violent_events[..nr]);
            deaths[0] = t.deaths.iter().sum();
            civ[0] = t.deaths_civilian.iter().sum();
            events[0] = t.violent_events.iter().sum();
        }
        let year = date.year();
        match self.yearly_deaths.last_mut() {
            Some((y, d)) if *y == year => *d += deaths[0],
            _ => self.yearly_deaths.push((year, deaths[0])),
        }
        for s in 0..=nr {
            self.put(date, step, s, "deaths", deaths[s]);
            self.put(date, step, s, "deaths_civilian", civ[s]);
            self.put(date, step, s, "violent_events", events[s]);
            self.put(date, step, s, "idps", idps[s]);
            self.put(date, step, s, "active", active[s]);
            self.put(date, step, s, "population", people[s]);
            self.put(
                date,
                step,
                s,
                "legitimacy.state",
                if pop_cells[s] > 0.0 { backing[state][s] / pop_cells[s] } else { 0.0 },
            );
            if s > 0 {
                // the state's support among the people of the region's capital
                // (the counterpart of an urban survey)
                let capital = w.mean_support(w.capital[s - 1] as usize, state).unwrap_or(0.0);
                self.put(date, step, s, "legitimacy.state.capital", capital);
            }
            for a in 0..na {
                let name = &w.actors[a].name;
                self.put(date, step, s, &format!("fighters.{name}"), fighters[a][s]);
                if w.actors[a].kind != Kind::Foreign {
                    let share = if pop_cells[s] > 0.0 { held[a][s] / pop_cells[s] } else { 0.0 };
                    self.put(date, step, s, &format!("control.{name}"), share);
                    let support = if pop_cells[s] > 0.0 { backing[a][s] / pop_cells[s] } else { 0.0 };
                    self.put(date, step, s, &format!("support.{name}"), support);
                    if s > 0 {
                        let cap = w.capital[s - 1] as usize;
                        self.put(
                            date,
                            step,
                            s,
                            &format!("capital.{name}"),
                            (w.controller[cap] as usize == a) as u8 as f64,
                        );
                    }
                }
            }
        }
        self.put(date, step, 0, "refugees", refugees);
        // deaths by the mechanism that caused them, and each actor's losses, national only
        for c in Cause::ALL {
            self.put(date, step, 0, &format!("deaths.{}", c.name()), t.deaths_by_cause[c as usize]);
        }
        for a in 0..na {
            let name = &w.actors[a].name;
            self.put(date, step, 0, &format!("losses.{name}"), t.losses.get(a).copied().unwrap_or(0.0));
        }
        // who killed whom (the tallies' map is ordered: no hash order reaches the file)
        for (&(victim, killer, cause), &persons) in &t.killed {
            if persons <= 0.0 {
                continue;
            }
            let victim = match victim {
                Victim::Actor(a) => w.actors[a as usize].name.clone(),
                Victim::Civilians => "civilians".to_string(),
            };
            let killer = match killer {
                Killer::Actor(a) => w.actors[a as usize].name.clone(),
                Killer::Community(k) => format!("community:{}", w.communities[k as usize]),
            };
            let _ = writeln!(
                self.dyads,
                "{date},{step},{},{},{},{}",
                csv_field(&victim),
                csv_field(&killer),
                cause.name(),
                fmt(persons)
            );
            *self.dyads_by_year.entry((year, victim, killer)).or_insert(0.0) += persons;
        }
        // money on hand and the share of the last pay bill left unpaid (M6), national only
        for a in 0..na {
            if w.actors[a].kind != Kind::Foreign {
                let name = &w.actors[a].name;
                self.put(date, step, 0, &format!("money.{name}"), w.actors[a].money);
                self.put(date, step, 0, &format!("unpaid.{name}"), w.dyn_.unpaid[a]);
            }
        }
        // the report's national series
        let north: Vec<usize> =
            ["Kidal", "Gao", "Tombouctou"].iter().filter_map(|n| w.raster.region_index(n)).map(|r| r + 1).collect();
        let north_pop: f64 = north.iter().map(|&s| pop_cells[s]).sum();
        let north_state: f64 =
            (0..na).filter(|&a| w.state_side(a)).map(|a| north.iter().map(|&s| held[a][s]).sum::<f64>()).sum();
        let acc_impl = if w.dyn_.level.is_empty() {
            0.0
        } else {
            w.dyn_.level.iter().map(|l| l / 3.0).sum::<f64>() / w.dyn_.level.len() as f64
        };
        self.national.push((
            date,
            [
                deaths[0],
                idps[0],
                refugees,
                if north_pop > 0.0 { north_state / north_pop } else { 0.0 },
                acc_impl,
                active[0],
            ],
        ));
        if self.snapshots.last().is_none_or(|(d, _)| d.year() != date.year()) {
            self.snapshots.push((date, w.controller.clone()));
        }
        if let Some(acc) = &w.sc.accord {
            let lv = &w.dyn_.level;
            let mean = |xs: &[f64]| if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 };
            self.put(date, step, 0, "accord.implementation", mean(&lv.iter().map(|l| l / 3.0).collect::<Vec<_>>()));
            // the ledger, provision by provision: level (0..1) and whether it is overdue
            for (k, prov) in acc.provisions.iter().enumerate() {
                self.put(date, step, 0, &format!("accord.level.{}", prov.id), lv[k] / 3.0);
                let overdue = date >= prov.due && lv[k] < 3.0;
                self.put(date, step, 0, &format!("accord.overdue.{}", prov.id), overdue as u8 as f64);
            }
            for (j, party) in acc.parties.iter().enumerate() {
                let own: Vec<f64> =
                    acc.provisions.iter().zip(lv).filter(|(p, _)| &p.owed_by == party).map(|(_, l)| l / 3.0).collect();
                self.put(date, step, 0, &format!("accord.implementation.{party}"), mean(&own));
                let others: Vec<f64> = acc
                    .provisions
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| &p.owed_by != party)
                    .map(|(k, _)| w.dyn_.perceived[j][k] / 3.0)
                    .collect();
                self.put(date, step, 0, &format!("accord.perceived.{party}"), mean(&others));
                let actual: Vec<f64> =
                    acc.provisions.iter().zip(lv).filter(|(p, _)| &p.owed_by != party).map(|(_, l)| l / 3.0).collect();
                self.put(date, step, 0, &format!("accord.others_actual.{party}"), mean(&actual));
            }
        }
    }
}

/// A CSV field, quoted if it holds a comma or a quote.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Shortest exact-enough text for a value: integers without decimals.
fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.6}")
    }
}

/// Run a scenario from `seed` through the whole weeks that end on or before
/// `until`, on the current rayon pool.
pub fn run(w: &mut World, until: Date, mut progress: impl FnMut(u64, u64)) -> Recorder {
    let mut rec = Recorder::new(w);
    rec.record(w, &Tallies::default());
    let steps = ((until.0 - w.clock.start.0 + 1) / w.clock.step_days as i64).max(1) as u64;
    while w.step < steps {
        let t = w.advance();
        rec.record(w, &t);
        progress(w.step, steps);
    }
    rec.snapshots.push((w.today(), w.controller.clone()));
    rec
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn small(ppa: f64) -> World {
        let mut sc: Scenario = toml::from_str(crate::scenario::BUILTIN[0].1).unwrap();
        sc.people_per_agent = ppa;
        sc.geography.cell_deg = 0.25;
        World::new(sc, 3).unwrap()
    }

    #[test]
    fn a_year_runs_and_persons_are_conserved() {
        let mut w = small(400.0);
        let n = w.agents();
        let until = Date::parse("2012-12-31").unwrap();
        let rec = run(&mut w, until, |_, _| {});
        assert_eq!(w.agents(), n, "agents are never created or removed");
        assert!(rec.csv.starts_with("date,step,scope,indicator,value\n"));
        assert!(rec.rows > 0);
        // every agent is in exactly one state, and money and forces are never negative
        assert!(w.state.iter().all(|&s| s <= DEAD));
        assert!(w.actors.iter().all(|a| a.money >= 0.0));
        assert!(w.foreign.iter().flatten().all(|&f| f >= 0.0));
    }

    /// `legitimacy.state.capital` is the state's support among the people of
    /// the region's capital cell, not the region's: with the capital's people
    /// set apart from the rest of the region, the two rows differ and the
    /// capital's is theirs.
    #[test]
    fn the_capital_legitimacy_is_the_capital_cells() {
        let mut w = small(400.0);
        let (na, nc, state) = (w.actors.len(), w.communities.len(), w.state_actor());
        let r = w.raster.region_index("Gao").unwrap();
        let cap = w.capital[r] as usize;
        for c in 0..w.raster.len() {
            if w.raster.region[c] as usize == r {
                let x = if c == cap { 0.9 } else { 0.1 };
                for k in 0..nc {
                    w.support[(c * nc + k) * na + state] = x;
                }
            }
        }
        let mut rec = Recorder::new(&w);
        rec.record(&w, &Tallies::default());
        let value = |ind: &str| -> f64 {
            let row = rec.csv.lines().find(|l| l.contains(&format!(",Gao,{ind},"))).expect(ind);
            row.rsplit(',').next().unwrap().parse().unwrap()
        };
        assert!((value("legitimacy.state.capital") - 0.9).abs() < 1e-6);
        let region = value("legitimacy.state");
        assert!(region > 0.1 && region < 0.9, "the region mixes both: {region}");
    }

    /// `support.<actor>` is the people-weighted mean support for each Malian
    /// actor in each scope: the state's is `legitimacy.state`, an actor given
    /// one level of support across a region reads that level there, and the
    /// foreign forces (whom M2 does not weigh) have none.
    #[test]
    fn support_rows_are_each_actors_mean_support() {
        let mut w = small(400.0);
        let (na, nc) = (w.actors.len(), w.communities.len());
        let mnla = w.actors.iter().position(|a| a.name == "MNLA").unwrap();
        let r = w.raster.region_index("Gao").unwrap();
        for c in 0..w.raster.len() {
            if w.raster.region[c] as usize == r {
                for k in 0..nc {
                    w.support[(c * nc + k) * na + mnla] = 0.7;
                }
            }
        }
        let mut rec = Recorder::new(&w);
        rec.record(&w, &Tallies::default());
        let value = |scope: &str, ind: &str| -> Option<f64> {
            let row = rec.csv.lines().find(|l| l.contains(&format!(",{scope},{ind},")))?;
            row.rsplit(',').next().unwrap().parse().ok()
        };
        assert!((value("Gao", "support.MNLA").unwrap() - 0.7).abs() < 1e-6);
        let state = w.actors[w.state_actor()].name.clone();
        for scope in ["Mali", "Gao", "Bamako", "Kidal"] {
            let (a, b) =
                (value(scope, &format!("support.{state}")).unwrap(), value(scope, "legitimacy.state").unwrap());
            assert!((a - b).abs() < 1e-9, "{scope}: {a} against {b}");
        }
        for a in w.actors.iter().filter(|a| a.kind == Kind::Foreign) {
            assert!(value("Mali", &format!("support.{}", a.name)).is_none(), "{}", a.name);
        }
        let mnla_mali = value("Mali", "support.MNLA").unwrap();
        assert!((0.0..=1.0).contains(&mnla_mali));
    }

    /// Every death this model deals is credited to exactly one killer (or
    /// split in shares summing to one), so `dyads.csv` sums to the deaths, and
    /// an actor's rows as victim to its losses, week by week.
    #[test]
    fn every_death_has_a_killer() {
        let mut w = small(400.0);
        let na = w.actors.len();
        let mut total = 0.0;
        let mut causes = std::collections::BTreeSet::new();
        while w.today() < Date::parse("2013-12-31").unwrap() {
            let t = w.advance();
            let deaths: f64 = t.deaths.iter().sum();
            let credited: f64 = t.killed.values().sum();
            assert!(
                (deaths - credited).abs() <= 1e-9 * deaths.max(1.0),
                "step {}: {deaths} dead, {credited} credited",
                w.step
            );
            for a in 0..na {
                let lost: f64 =
                    t.killed.iter().filter(|((v, _, _), _)| *v == Victim::Actor(a as u16)).map(|(_, p)| p).sum();
                assert!(
                    (lost - t.losses[a]).abs() <= 1e-9 * lost.max(1.0),
                    "step {}, {}: {lost} vs {}",
                    w.step,
                    w.actors[a].name,
                    t.losses[a]
                );
            }
            for ((v, k, c), p) in &t.killed {
                assert!(*p >= 0.0);
                assert_ne!(
                    Killer::Actor(match v {
                        Victim::Actor(a) => *a,
                        Victim::Civilians => u16::MAX,
                    }),
                    *k,
                    "nobody kills its own"
                );
                causes.insert(*c);
            }
            total += deaths;
        }
        assert!(total > 0.0 && causes.len() >= 2, "a test that can fail: {total} deaths, causes {causes:?}");
    }

    #[test]
    fn identical_at_1_3_and_16_threads() {
        let until = Date::parse("2012-09-30").unwrap();
        let csv = |threads| {
            sahel_engine::schedule::with_threads(threads, || {
                let mut w = small(400.0);
                let rec = run(&mut w, until, |_, _| {});
                rec.csv + &rec.dyads
            })
        };
        let one = csv(1);
        assert_eq!(one, csv(3));
        assert_eq!(one, csv(16));
    }
}
