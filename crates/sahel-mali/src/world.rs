//! The state of the Mali model and its initialisation.
//!
//! * Space: the raster's land cells (geography).
//! * Civilians: agents, each standing for `people_per_agent` persons, stored as a
//!   structure of arrays: home cell, current cell, community, state, affiliation,
//!   hardship, risk aversion (19 bytes an agent). Attitudes are kept per cell and
//!   community, not per agent: `support[cell][community][actor]`.
//! * Armed actors: Malian actors' forces are their fighter agents; foreign
//!   actors' forces are persons per cell set by deployment events.

use crate::calendar::{Clock, Date};
use crate::geography::{Raster, BUILTIN_REGIONS_2012};
use crate::scenario::{Doctrine, Event, Kind, Scenario, ScenarioError, Stance};
use sahel_engine::rng::streams;
use sahel_engine::Rng;

/// Civilian states.
pub const QUIET: u8 = 0;
pub const ACTIVE: u8 = 1;
pub const FIGHTER: u8 = 2;
pub const DETAINED: u8 = 3;
pub const DISPLACED: u8 = 4;
pub const REFUGEE: u8 = 5;
pub const DEAD: u8 = 6;

pub const NO_ACTOR: u8 = u8::MAX;

pub const BUILTIN_TOWNS: &str = include_str!("../../../data/mali/towns.csv");

/// Stream families of the Mali model.
pub(crate) const S_INIT: u64 = streams::MODEL + 50;
/// A split event's draws: one per agent (its index) in the step of the split.
pub(crate) const S_SPLIT: u64 = streams::MODEL + 55;

#[derive(Clone, Debug)]
pub struct Town {
    pub name: String,
    pub cell: u32,
    pub population: f64,
    pub region: usize,
}

#[derive(Clone, Debug)]
pub struct ActorState {
    pub name: String,
    pub kind: Kind,
    pub doctrine: Doctrine,
    /// Per community: whether it is a home community.
    pub home: Vec<bool>,
    pub money: f64,
    pub emerges: Date,
    pub provides_services: bool,
    /// A foreign actor that moves by M10 (an offensive mandate).
    pub offensive: bool,
    /// An offensive foreign actor that hunts armed groups (M10).
    pub hunts: bool,
    /// An armed group that takes trafficking income and levies (M6).
    pub trafficking_and_levies: bool,
    /// Merged into another actor (no longer acts).
    pub merged_into: Option<usize>,
    /// 1 normally; lowered by the coup's shock and recovering.
    pub capacity: f64,
    /// Capacity regained per step after a shock.
    pub recovery: f64,
}

impl ActorState {
    pub fn active(&self, today: Date) -> bool {
        self.merged_into.is_none() && today >= self.emerges
    }
}

/// The whole model state.
pub struct World {
    pub sc: Scenario,
    pub clock: Clock,
    pub seed: u64,
    pub step: u64,
    pub raster: Raster,
    pub towns: Vec<Town>,
    /// Capital cell of each region (its largest town).
    pub capital: Vec<u32>,
    pub communities: Vec<String>,
    pub actors: Vec<ActorState>,
    /// `stance[a][b]`.
    pub stance: Vec<Vec<Stance>>,
    pub ppa: f64,

    // civilians (structure of arrays)
    pub home: Vec<u32>,
    pub cell: Vec<u32>,
    pub comm: Vec<u8>,
    pub state: Vec<u8>,
    pub affil: Vec<u8>,
    pub hardship: Vec<f32>,
    pub risk: Vec<f32>,
    /// Persons each agent stands for: `people_per_agent` at the start, less
    /// those of its people killed since (an agent left with none is dead).
    pub weight: Vec<f64>,

    /// Foreign forces, persons per actor per cell.
    pub foreign: Vec<Vec<f64>>,
    /// Controller of each cell (an actor index).
    pub controller: Vec<u8>,
    /// `support[(cell * C + comm) * A + actor]` in [0, 1].
    pub support: Vec<f32>,
    /// Everything else that changes from step to step.
    pub dyn_: Dynamics,
    /// Civilians present per cell and community (persons), as of the step's start.
    pub cell_people: Vec<f64>,
}

/// A flow of money from an event.
#[derive(Clone, Debug)]
pub struct Flow {
    pub actor: usize,
    pub usd: f64,
    pub per_year: bool,
    pub until: Date,
    pub aid: bool,
    pub paid_once: bool,
}

/// Slow variables and bookkeeping of the mechanisms.
#[derive(Clone, Debug, Default)]
pub struct Dynamics {
    pub flows: Vec<Flow>,
    /// Per actor: whether it has signed the accord.
    pub signed: Vec<bool>,
    /// Scale of misperception in the accord game (1 without an observer).
    pub noise_scale: f64,
    /// Per cell: deaths remembered (persons, decaying).
    pub violence: Vec<f64>,
    /// Per cell: hostile takeovers remembered (1 at a takeover, decaying like `violence`).
    pub upheaval: Vec<f64>,
    /// Per cell: services people expect.
    pub expected: Vec<f64>,
    /// Each community's support for each actor on the start date, by region
    /// (`(region × communities + community) × actors`): the baseline M2's
    /// `relax_per_week` draws support back towards.
    pub baseline_support: Vec<f32>,
    /// Per actor: share of its pay bill it could not pay last step.
    pub unpaid: Vec<f64>,
    /// Per actor: towns lost to hostile actors this step net of those taken from them, as a share of the towns it held (M4; M3 reads it).
    pub defeat: Vec<f64>,
    /// Per actor: what it spent on services this step (US$).
    pub service_budget: Vec<f64>,
    /// Aid captured by elites, cumulative and this step (US$).
    pub captured_total: f64,
    pub captured_step: f64,
    pub aid_step: f64,
    /// The accord game, the implementation level (0..3) of each provision, and
    /// what each party believes each provision's level is.
    pub game: Option<crate::mechanisms::m7_accord::Game>,
    pub level: Vec<f64>,
    pub perceived: Vec<Vec<f64>>,
    pub first_signature_step: Option<u64>,
    /// Engagements involving jihadists in the north since the last accord round.
    pub spoiler_attacks: f64,
    /// Per cell: the cells within M1's sight radius.
    pub sight: Vec<Vec<u32>>,
    /// Objective cells (towns) for M10 and M8.
    pub objectives: Vec<u32>,
    /// Whether each cell is in a northern region (Kidal, Gao, Tombouctou).
    pub north: Vec<bool>,
    /// The state's highest service spending so far (the reference for funding).
    pub best_service_budget: f64,
    /// Hardship added by competition for land and pasture, per cell and community (M11).
    pub pasture: Vec<f64>,
    /// Persons of each community killed by a rival community in each cell in
    /// the last step (`cell × communities + community`; M11 writes it, M2's
    /// `blame_unprotected` reads it the week after).
    pub unprotected: Vec<f64>,
    /// Forecast past the scenario's end: money flows running to the end are held.
    pub hold_after_end: bool,
    /// `hostile[a * A + b]` this step.
    pub hostile: Vec<bool>,
    /// Each actor's region of origin, if any.
    pub origin: Vec<Option<usize>>,
    /// Per actor and region: whether the actor fights for the region
    /// (`operates_in`; all regions when it names none).
    pub operates: Vec<Vec<bool>>,
    /// Per actor and region: whether the actor comes from the region (it had
    /// fighters there on the start date, or it is its origin; M10's `home_pull`).
    pub home: Vec<Vec<bool>>,
}

impl World {
    /// Build the world on the start date. Errors name the scenario key at fault.
    pub fn new(sc: Scenario, seed: u64) -> Result<World, ScenarioError> {
        let polygons = if sc.geography.polygons == "builtin:regions-2012" {
            BUILTIN_REGIONS_2012.to_string()
        } else {
            std::fs::read_to_string(&sc.geography.polygons).map_err(|e| ScenarioError {
                key: "geography.polygons".into(),
                message: format!("cannot read `{}`: {e}", sc.geography.polygons),
            })?
        };
        let raster = Raster::from_geojson(&polygons, sc.geography.cell_deg)
            .map_err(|m| ScenarioError { key: "geography.polygons".into(), message: m })?;
        let names: Vec<String> = raster.regions.iter().map(|r| r.name.clone()).collect();
        if let Some(e) = sc.check_regions(&names).into_iter().next() {
            return Err(e);
        }
        let towns = read_towns(&sc, &raster)?;
        let clock = Clock { start: sc.start, step_days: sc.step_days };
        let ppa = sc.people_per_agent;

        // communities: every name used, sorted
        let mut communities: Vec<String> = sc
            .communities
            .values()
            .flat_map(|m| m.values.keys().cloned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for a in &sc.actors {
            for h in &a.home_communities {
                if !communities.contains(h) {
                    communities.push(h.clone());
                }
            }
        }
        communities.sort();
        let comm_index = |n: &str| communities.iter().position(|c| c == n).expect("collected above") as u8;

        // capitals: the largest town of each region, else its first cell
        let capital: Vec<u32> = (0..raster.regions.len())
            .map(|r| {
                towns
                    .iter()
                    .filter(|t| t.region == r)
                    .max_by(|a, b| a.population.partial_cmp(&b.population).expect("finite"))
                    .map(|t| t.cell)
                    .unwrap_or_else(|| raster.cells_of_region(r)[0])
            })
            .collect();

        // persons per cell and community on the start date
        let years = (sc.start.0 - Date::from_ymd(sc.population.year as i64, 7, 1).expect("valid").0) as f64 / 365.25;
        let growth = (1.0 + sc.population.growth_per_year).powf(years);
        let n_cells = raster.len();
        let mut persons = vec![0.0f64; n_cells];
        for (r, region) in raster.regions.iter().enumerate() {
            let total = sc.population.regions.values[&region.name] * growth;
            let urban_share = sc.population.urban_share.values.get(&region.name).copied().unwrap_or(0.0);
            let rtowns: Vec<&Town> = towns.iter().filter(|t| t.region == r && t.population > 0.0).collect();
            let town_total: f64 = rtowns.iter().map(|t| t.population).sum();
            let urban = if town_total > 0.0 { total * urban_share } else { 0.0 };
            for t in &rtowns {
                persons[t.cell as usize] += urban * t.population / town_total;
            }
            let cells = raster.cells_of_region(r);
            let area: f64 = cells.iter().map(|&c| raster.area_km2[c as usize]).sum();
            for &c in &cells {
                persons[c as usize] += (total - urban) * raster.area_km2[c as usize] / area;
            }
        }

        let mut w = World {
            clock,
            seed,
            step: 0,
            towns,
            capital,
            actors: Vec::new(),
            stance: Vec::new(),
            ppa,
            home: Vec::new(),
            cell: Vec::new(),
            comm: Vec::new(),
            state: Vec::new(),
            affil: Vec::new(),
            hardship: Vec::new(),
            risk: Vec::new(),
            weight: Vec::new(),
            foreign: Vec::new(),
            controller: Vec::new(),
            support: Vec::new(),
            dyn_: Dynamics::default(),
            cell_people: Vec::new(),
            communities: communities.clone(),
            raster,
            sc,
        };

        // agents: per cell and community, stochastic rounding of persons / ppa
        for c in 0..n_cells {
            let region = &w.raster.regions[w.raster.region[c] as usize].name;
            let shares = &w.sc.communities[region].values;
            for (k, (name, share)) in shares.iter().enumerate() {
                let expected = persons[c] * share / ppa;
                let mut r = Rng::new(seed, 0, S_INIT, (c as u64) << 8 | k as u64);
                let n = expected.floor() as u64 + (r.uniform() < expected.fract()) as u64;
                let ci = comm_index(name);
                for _ in 0..n {
                    let id = w.home.len() as u64;
                    let mut ra = Rng::new(seed, 0, S_INIT + 1, id);
                    w.home.push(c as u32);
                    w.cell.push(c as u32);
                    w.comm.push(ci);
                    w.state.push(QUIET);
                    w.affil.push(NO_ACTOR);
                    w.hardship.push(ra.uniform() as f32);
                    w.risk.push(ra.uniform() as f32);
                    w.weight.push(ppa);
                }
            }
        }

        // actors
        let na = w.sc.actors.len();
        for a in &w.sc.actors {
            let mut home = vec![false; communities.len()];
            for h in &a.home_communities {
                home[comm_index(h) as usize] = true;
            }
            w.actors.push(ActorState {
                name: a.name.clone(),
                kind: a.kind,
                doctrine: a.doctrine,
                home,
                money: a.money,
                emerges: a.emerges.unwrap_or(w.sc.start),
                provides_services: a.provides_services,
                offensive: a.offensive,
                hunts: a.hunts,
                trafficking_and_levies: a.trafficking_and_levies,
                merged_into: None,
                capacity: 1.0,
                recovery: 0.0,
            });
        }
        w.stance = vec![vec![Stance::Neutral; na]; na];
        for i in 0..na {
            w.stance[i][i] = Stance::Allied;
        }
        for r in &w.sc.relations {
            let (a, b) = (w.actor(&r.a), w.actor(&r.b));
            w.stance[a][b] = r.relation;
            w.stance[b][a] = r.relation;
        }
        w.foreign = vec![vec![0.0; n_cells]; na];

        // initial fighters: agents of the actor's home communities in the region
        // (any agent of the region if too few), in up to three groups: in the
        // region's largest towns for a conventional force, at the homes of its
        // first three fighters for an irregular one
        let mut by_region: Vec<Vec<u32>> = vec![Vec::new(); w.raster.regions.len()];
        for (i, &c) in w.cell.iter().enumerate() {
            by_region[w.raster.region[c as usize] as usize].push(i as u32);
        }
        for region_agents in by_region.iter_mut() {
            Rng::new(seed, 0, S_INIT + 2, region_agents.len() as u64).shuffle(region_agents);
        }
        for a in 0..na {
            let forces: Vec<(String, f64)> =
                w.sc.actors[a].forces.values.iter().map(|(k, v)| (k.clone(), *v)).collect();
            for (region, p) in forces {
                let r = w.raster.region_index(&region).expect("checked");
                let mut need = (p / ppa).round() as usize;
                let rtowns: Vec<u32> = w.towns.iter().filter(|t| t.region == r).map(|t| t.cell).collect();
                let mut bases: Vec<u32> = Vec::new();
                for pass in 0..2 {
                    for &i in &by_region[r] {
                        if need == 0 {
                            break;
                        }
                        let iu = i as usize;
                        if w.state[iu] != QUIET || (pass == 0 && !w.actors[a].home[w.comm[iu] as usize]) {
                            continue;
                        }
                        w.state[iu] = FIGHTER;
                        w.affil[iu] = a as u8;
                        if w.actors[a].doctrine == Doctrine::Conventional && !rtowns.is_empty() {
                            w.cell[iu] = rtowns[need % rtowns.len().min(3)];
                        } else {
                            if bases.len() < 3 {
                                bases.push(w.cell[iu]);
                            }
                            w.cell[iu] = bases[need % bases.len()];
                        }
                        need -= 1;
                    }
                }
            }
        }

        // the state holds every cell at the start; relationships start from
        // community ties
        let state = w
            .actors
            .iter()
            .position(|a| a.kind == Kind::State)
            .ok_or(ScenarioError { key: "actors".into(), message: "expected one actor of kind `state`".into() })?;
        w.controller = vec![state as u8; n_cells];
        let nc = communities.len();
        // support depends on the region, the community and the actor only:
        // one table per region (the regions where an actor has forces on the
        // start date matter to `armed_above_state`), copied into its cells
        let s0 = &w.sc.initial_support;
        let n_regions = w.raster.regions.len();
        let mut by_region = vec![0.0f32; n_regions * nc * na];
        for (a, actor) in w.actors.iter().enumerate() {
            let mut armed = vec![false; n_regions];
            for (region, &p) in &w.sc.actors[a].forces.values {
                if p > 0.0 {
                    armed[w.raster.region_index(region).expect("checked")] = true;
                }
            }
            for (r, &armed) in armed.iter().enumerate() {
                for k in 0..nc {
                    let of_state = if w.actors[state].home[k] { s0.state_home } else { s0.state_other };
                    let s = match (actor.kind, actor.home[k], s0.armed_above_state) {
                        (Kind::State, true, _) => s0.state_home,
                        (Kind::State, false, _) => s0.state_other,
                        (Kind::Foreign, _, _) => s0.foreign,
                        (_, true, Some(m)) if armed => of_state + m,
                        (_, true, _) => s0.group_home,
                        (_, false, _) => s0.group_other,
                    };
                    by_region[(r * nc + k) * na + a] = s as f32;
                }
            }
        }
        w.support = (0..n_cells)
            .flat_map(|c| {
                let r = w.raster.region[c] as usize;
                by_region[r * nc * na..][..nc * na].iter().copied()
            })
            .collect();
        w.init_dynamics();
        w.dyn_.baseline_support = by_region;
        if w.sc.mechanisms.m2_services.settled_expectations {
            w.dyn_.expected = crate::mechanisms::m2_services::settled_expectations(&w, &w.sc.mechanisms.m2_services);
        }
        w.refresh_hostility();
        w.cell_people = crate::step::residents(&w);
        Ok(w)
    }

    fn init_dynamics(&mut self) {
        let (nc, na) = (self.raster.len(), self.actors.len());
        let m = &self.sc.mechanisms;
        let d = &mut self.dyn_;
        d.signed = vec![false; na];
        d.noise_scale = 1.0;
        d.violence = vec![0.0; nc];
        d.upheaval = vec![0.0; nc];
        d.expected = vec![m.m2_services.initial_expectation; nc];
        d.unprotected = vec![0.0; nc * self.communities.len()];
        d.unpaid = vec![0.0; na];
        d.defeat = vec![0.0; na];
        d.service_budget = vec![0.0; na];
        if let Some(acc) = &self.sc.accord {
            let p = &m.m7_accord;
            let rules = crate::mechanisms::m7_accord::Rules {
                strategy: p.strategy,
                forgiveness: p.forgiveness,
                execution_noise: p.execution_noise,
                misread_cooperation: p.misread_cooperation,
                misread_defection: p.misread_defection,
            };
            d.game = Some(crate::mechanisms::m7_accord::Game::new(acc.parties.len(), rules));
            d.level = vec![0.0; acc.provisions.len()];
            d.perceived = vec![vec![0.0; acc.provisions.len()]; acc.parties.len()];
        }
        // M1's sight: cells whose centres are within the radius
        let r_cells = (m.m1_revolt.sight_km / (self.raster.cell_deg * 111.195)).ceil() as i64;
        let (w, h) = (self.raster.width as i64, self.raster.height as i64);
        d.sight = (0..nc as u32)
            .map(|c| {
                let g = self.raster.grid_index[c as usize] as i64;
                let (gx, gy) = (g % w, g / w);
                let mut v = Vec::new();
                for dy in -r_cells..=r_cells {
                    for dx in -r_cells..=r_cells {
                        let (x, y) = (gx + dx, gy + dy);
                        if x < 0 || y < 0 || x >= w || y >= h {
                            continue;
                        }
                        if let Some(n) = self.raster.cell_at(
                            self.raster.west + (x as f64 + 0.5) * self.raster.cell_deg,
                            self.raster.north - (y as f64 + 0.5) * self.raster.cell_deg,
                        ) {
                            if self.raster.distance(c, n) <= m.m1_revolt.sight_km.max(1e-9) || n == c {
                                v.push(n);
                            }
                        }
                    }
                }
                v
            })
            .collect();
        let min_pop = m.m10_strategy.objective_min_population;
        let mut obj: Vec<u32> = self.towns.iter().filter(|t| t.population >= min_pop).map(|t| t.cell).collect();
        obj.extend(self.capital.iter().copied());
        obj.sort_unstable();
        obj.dedup();
        d.objectives = obj;
        let north: Vec<usize> =
            ["Kidal", "Gao", "Tombouctou"].iter().filter_map(|n| self.raster.region_index(n)).collect();
        d.north = (0..nc).map(|c| north.contains(&(self.raster.region[c] as usize))).collect();
        d.origin = self.sc.actors.iter().map(|a| a.origin.as_ref().and_then(|o| self.raster.region_index(o))).collect();
        let nr = self.raster.regions.len();
        d.operates = self
            .sc
            .actors
            .iter()
            .map(|a| {
                let mut v = vec![a.operates_in.is_empty(); nr];
                for r in a.operates_in.iter().filter_map(|r| self.raster.region_index(r)) {
                    v[r] = true;
                }
                v
            })
            .collect();
        d.home = self
            .sc
            .actors
            .iter()
            .zip(&d.origin)
            .map(|(a, origin)| {
                let mut v = vec![false; nr];
                let started = a.forces.values.iter().filter(|(_, &n)| n > 0.0);
                for r in started.filter_map(|(r, _)| self.raster.region_index(r)).chain(*origin) {
                    v[r] = true;
                }
                v
            })
            .collect();
    }

    /// Civilians of community `k` present in cell `c` at the step's start (persons).
    #[inline]
    pub fn people_of(&self, c: usize, k: usize) -> f64 {
        self.cell_people[c * self.communities.len() + k]
    }

    /// Civilians present in cell `c` at the step's start (persons).
    #[inline]
    pub fn people(&self, c: usize) -> f64 {
        (0..self.communities.len()).map(|k| self.people_of(c, k)).sum()
    }

    /// Mean support of the people in cell `c` for actor `a`, weighted by
    /// community size; `None` where nobody lives.
    pub fn mean_support(&self, c: usize, a: usize) -> Option<f64> {
        let people = self.people(c);
        (people > 0.0).then(|| {
            (0..self.communities.len())
                .map(|k| self.people_of(c, k) * self.support_of(c as u32, k as u8, a) as f64)
                .sum::<f64>()
                / people
        })
    }

    /// A force per cell summed over the cells within `reach_km` of each cell
    /// (raster steps, at most 30): what stands near each cell. Stamped outwards
    /// from each cell holding force, the same sum as a search from each cell,
    /// by symmetry; the cost is the cells with force times the neighbourhood.
    pub fn within_reach(&self, force: &[f64], reach_km: f64) -> Vec<f64> {
        let n = self.raster.len();
        let hops = (reach_km / (self.raster.cell_deg * 111.195)).ceil() as usize;
        let mut near = vec![0.0; n];
        let mut mark = vec![u32::MAX; n];
        for g in 0..n as u32 {
            let x = force[g as usize];
            if x <= 0.0 {
                continue;
            }
            mark[g as usize] = g;
            near[g as usize] += x;
            let mut frontier = vec![g];
            for _ in 0..hops.min(30) {
                let mut next = Vec::new();
                for &u in &frontier {
                    for &y in self.raster.neighbours(u) {
                        if mark[y as usize] != g {
                            mark[y as usize] = g;
                            near[y as usize] += x;
                            next.push(y);
                        }
                    }
                }
                frontier = next;
            }
        }
        near
    }

    /// A split (a scenario event): each fighter of actor `a` whose community is
    /// one of `communities` (any, when empty) goes over to actor `t` with chance
    /// `share`, where it stands; one keyed draw per agent, so the wing that
    /// leaves does not depend on the thread count or on the order of agents.
    /// Only fighters move: money and land stay with `a`.
    pub fn split(&mut self, a: usize, t: usize, share: f64, communities: &[String]) {
        let wing: Vec<bool> =
            self.communities.iter().map(|c| communities.is_empty() || communities.contains(c)).collect();
        for i in 0..self.agents() {
            if self.affil[i] == a as u8
                && self.state[i] == FIGHTER
                && wing[self.comm[i] as usize]
                && Rng::new(self.seed, self.step, S_SPLIT, i as u64).chance(share)
            {
                self.affil[i] = t as u8;
            }
        }
    }

    /// Each actor's movement: the actor it merges into last, following the
    /// scenario's merge events (itself when it never merges).
    pub fn movements(&self) -> Vec<usize> {
        let mut into: Vec<Option<usize>> = vec![None; self.actors.len()];
        for e in &self.sc.events {
            if let crate::scenario::Event::Merge { actors, into: t, .. } = e {
                let t = self.actor(t);
                for n in actors {
                    into[self.actor(n)] = Some(t);
                }
            }
        }
        (0..self.actors.len())
            .map(|mut a| {
                let mut hops = 0;
                while let Some(t) = into[a] {
                    if t == a || hops > self.actors.len() {
                        break;
                    }
                    a = t;
                    hops += 1;
                }
                a
            })
            .collect()
    }

    pub fn actor(&self, name: &str) -> usize {
        self.actors.iter().position(|a| a.name == name).expect("validated actor name")
    }

    pub fn agents(&self) -> usize {
        self.home.len()
    }

    pub fn today(&self) -> Date {
        self.clock.date(self.step)
    }

    /// Events dated within the current step.
    pub fn events_now(&self) -> Vec<Event> {
        let from = self.clock.date(self.step);
        let to = self.clock.date(self.step + 1);
        self.sc.events.iter().filter(|e| e.date() >= from && e.date() < to).cloned().collect()
    }

    #[inline(always)]
    pub fn support_of(&self, cell: u32, comm: u8, actor: usize) -> f32 {
        let (nc, na) = (self.communities.len(), self.actors.len());
        self.support[(cell as usize * nc + comm as usize) * na + actor]
    }

    /// Community `comm`'s support for every actor in `cell`, by actor index.
    #[inline(always)]
    pub fn support_row(&self, cell: usize, comm: usize) -> &[f32] {
        let (nc, na) = (self.communities.len(), self.actors.len());
        &self.support[(cell * nc + comm) * na..][..na]
    }

    /// Persons on the state's side: the state, actors allied to it, foreign forces.
    pub fn state_side(&self, a: usize) -> bool {
        let s = self.state_actor();
        a == s || self.stance[a][s] == Stance::Allied || self.actors[a].kind == Kind::Foreign
    }

    pub fn state_actor(&self) -> usize {
        self.actors.iter().position(|a| a.kind == Kind::State).expect("checked at build")
    }
}

/// Read the towns (name, lat, lon, population, region) and put them on cells.
fn read_towns(sc: &Scenario, raster: &Raster) -> Result<Vec<Town>, ScenarioError> {
    let text = if sc.population.towns == "builtin:towns" {
        BUILTIN_TOWNS.to_string()
    } else {
        std::fs::read_to_string(&sc.population.towns).map_err(|e| ScenarioError {
            key: "population.towns".into(),
            message: format!("cannot read `{}`: {e}", sc.population.towns),
        })?
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |n: &str| header.iter().position(|h| h.trim() == n);
    let (Some(name), Some(lat), Some(lon), Some(pop)) = (col("name"), col("lat"), col("lon"), col("population")) else {
        return Err(ScenarioError {
            key: "population.towns".into(),
            message: "expected a CSV with columns name, lat, lon, population".into(),
        });
    };
    let mut out = Vec::new();
    for (i, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let bad = || ScenarioError {
            key: "population.towns".into(),
            message: format!("line {}: expected name,lat,lon,population", i + 2),
        };
        let (Some(n), Some(la), Some(lo), Some(p)) = (f.get(name), f.get(lat), f.get(lon), f.get(pop)) else {
            return Err(bad());
        };
        let (la, lo, p): (f64, f64, f64) =
            (la.parse().map_err(|_| bad())?, lo.parse().map_err(|_| bad())?, p.parse().map_err(|_| bad())?);
        let Some(cell) = raster.cell_at(lo, la) else { continue };
        out.push(Town { name: n.to_string(), cell, population: p, region: raster.region[cell as usize] as usize });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn world(ppa: f64) -> World {
        let mut sc: Scenario = toml::from_str(crate::scenario::BUILTIN[0].1).unwrap();
        sc.people_per_agent = ppa;
        World::new(sc, 1).unwrap()
    }

    #[test]
    fn population_is_the_census_grown_to_the_start() {
        let w = world(100.0);
        // 14,528,662 in mid-2009, 3.4 % a year for 2.5 years: 15.8 M; agents within sampling noise
        let persons: f64 = w.weight.iter().sum();
        let expected =
            14_528_662.0 * 1.034f64.powf((w.sc.start.0 - Date::from_ymd(2009, 7, 1).unwrap().0) as f64 / 365.25);
        assert!((persons / expected - 1.0).abs() < 0.002, "{persons} vs {expected}");
        // Kidal holds about 0.47 % of the people
        let kidal = w.raster.region_index("Kidal").unwrap();
        let n = w.cell.iter().filter(|&&c| w.raster.region[c as usize] as usize == kidal).count() as f64;
        assert!((n / w.agents() as f64 - 67_739.0 / 14_528_662.0).abs() < 0.001);
    }

    #[test]
    fn initial_forces_are_fighters_of_home_communities() {
        let w = world(100.0);
        let mnla = w.actor("MNLA");
        let fighters: Vec<usize> = (0..w.agents()).filter(|&i| w.affil[i] == mnla as u8).collect();
        assert_eq!(fighters.len(), 30); // 3,000 persons
        let tuareg = w.communities.iter().position(|c| c == "Tuareg").unwrap() as u8;
        assert!(fighters.iter().all(|&i| w.comm[i] == tuareg && w.state[i] == FIGHTER));
        let fama = w.actor("FAMa");
        assert_eq!((0..w.agents()).filter(|&i| w.affil[i] == fama as u8).count(), 126);
    }

    #[test]
    fn initial_support_is_the_scenario_table() {
        let support = |w: &World, region: &str, comm: &str, actor: &str| {
            let r = w.raster.region_index(region).unwrap();
            let c = w.raster.cells_of_region(r)[0] as usize;
            let k = w.communities.iter().position(|x| x == comm).unwrap();
            let (nc, na) = (w.communities.len(), w.actors.len());
            w.support[(c * nc + k) * na + w.actor(actor)]
        };
        let w = world(1000.0);
        // the defaults (docs/odd.md, section 5), in every cell
        for (region, comm, actor, s) in [
            ("Gao", "Songhai", "FAMa", 0.6),
            ("Kidal", "Tuareg", "FAMa", 0.4),
            ("Kidal", "Tuareg", "MNLA", 0.4),
            ("Sikasso", "Tuareg", "MNLA", 0.4),
            ("Gao", "Songhai", "MUJAO", 0.4),
            ("Gao", "Bambara", "MUJAO", 0.1),
            ("Mopti", "Peul", "France", 0.3),
        ] {
            assert_eq!(support(&w, region, comm, actor), s as f32, "{region} {comm} {actor}");
        }
        // with a margin, a group's home communities where it has fighters on
        // the start date trust it that much more than the state; elsewhere,
        // and for the others, nothing changes
        let mut sc: Scenario = toml::from_str(crate::scenario::BUILTIN[0].1).unwrap();
        sc.people_per_agent = 1000.0;
        sc.initial_support.armed_above_state = Some(0.1);
        let w = World::new(sc, 1).unwrap();
        for (region, comm, actor, s) in [
            ("Kidal", "Tuareg", "MNLA", 0.5),            // state_other 0.4 + 0.1
            ("Gao", "Songhai", "MUJAO", 0.7),            // state_home 0.6 + 0.1
            ("Gao", "Arab", "MUJAO", 0.5),               // an Arab is none of FAMa's
            ("Kidal", "Tuareg", "Ansar Dine", 0.5),      // its 300 are in Kidal
            ("Tombouctou", "Tuareg", "Ansar Dine", 0.4), // none in Tombouctou
            ("Sikasso", "Tuareg", "MNLA", 0.4),          // no MNLA forces in Sikasso
            ("Gao", "Bambara", "MUJAO", 0.1),            // not a home community
            ("Gao", "Songhai", "FAMa", 0.6),
        ] {
            assert!((support(&w, region, comm, actor) - s as f32).abs() < 1e-6, "{region} {comm} {actor}");
        }
    }

    #[test]
    fn capitals_are_the_regional_capitals() {
        let w = world(100.0);
        for (region, town) in [("Gao", "Gao"), ("Kidal", "Kidal"), ("Tombouctou", "Timbuktu"), ("Mopti", "Mopti")] {
            let r = w.raster.region_index(region).unwrap();
            let t = w.towns.iter().find(|t| t.name == town).unwrap_or_else(|| panic!("{town}"));
            assert_eq!(w.capital[r], t.cell, "{region}");
        }
    }
}
