//! The state of an Epstein world and the rules every scheduler applies.
//!
//! Agents are stored as a structure of arrays indexed by a stable id that is never
//! reused (agents who die keep their slot; Model II's newborns get fresh ids).
//! Cells hold counts (cops, actives, free agents) kept up to date on every change,
//! plus the list of agents in each cell.
//!
//! Rules (Epstein 2002, Model I):
//! * grievance `G = H·(1 − L)`;
//! * estimated arrest probability `P = 1 − exp(−k·f(C/A))`, `C` the cops and `A`
//!   one plus the actives within vision, `f` the identity, floor or round;
//! * a free citizen is active iff `G − R·P > T`;
//! * a cop arrests a random active within its vision; the jail term is drawn in
//!   `[0, J]` or `[0, J)`;
//! * agents move to a random empty cell within vision.
//!
//! Model II adds two groups, killing of the other group's members by actives,
//! cloning and a maximum age (see [`crate::params::GroupParams`]).

use crate::params::{ArrestRule, JailCountdown, JailDraw, Params, Placement, Rules};
use sahel_engine::occupancy::NONE;
use sahel_engine::rng::{streams, Rng};
use sahel_engine::{CellLists, Grid, Neighbourhood, Scheduler};

pub const COP: u8 = 0;
pub const CITIZEN: u8 = 1;

pub const QUIET: u8 = 0;
pub const ACTIVE: u8 = 1;
pub const JAILED: u8 = 2;
pub const DEAD: u8 = 3;

/// A jail term that never ends (`max_jail_term = inf`).
pub const LIFE: u32 = u32::MAX;

/// Stream families of this model.
pub(crate) const S_INIT_AGENT: u64 = streams::MODEL;
pub(crate) const S_ACT: u64 = streams::MODEL + 1;
pub(crate) const S_MOVE: u64 = streams::MODEL + 2;
pub(crate) const S_DECIDE: u64 = streams::MODEL + 3;
pub(crate) const S_ENFORCE: u64 = streams::MODEL + 4;
pub(crate) const S_LIFE: u64 = streams::MODEL + 5;

/// Bits of each field in a packed per-cell count (cops, group-0 actives, group-1
/// actives), so one sum counts all three. Widths are capped at 10^6 cells, so no
/// field of a neighbourhood sum can reach 2^21.
pub(crate) const FIELD: u32 = 21;
pub(crate) const MASK: u64 = (1 << FIELD) - 1;
pub(crate) const COP_UNIT: u64 = 1 << (2 * FIELD);
#[inline(always)]
pub(crate) fn active_unit(group: usize) -> u64 {
    1 << (FIELD * (1 - group as u32))
}

/// How many random cells are tried before the empty cells of a neighbourhood are
/// enumerated. Rejection sampling is exactly uniform over the empty cells.
const MOVE_TRIES: usize = 32;

/// The counts recorded each step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub quiet: u64,
    pub active: u64,
    pub jailed: u64,
    pub cops: u64,
    /// Model II: living citizens of each group, and actives of each group.
    pub alive: [u64; 2],
    pub active_by_group: [u64; 2],
    /// Model II: citizens killed and born during the step; deaths of old age.
    pub killed: u64,
    pub born: u64,
    pub died_old: u64,
}

pub struct World {
    pub params: Params,
    pub rules: Rules,
    pub seed: u64,
    pub step: u64,
    pub grid: Grid,
    pub(crate) nb_citizen: Neighbourhood,
    pub(crate) nb_cop: Neighbourhood,
    /// Moore radius 1: where Model II's clones are placed.
    pub(crate) nb_birth: Neighbourhood,
    pub(crate) model2: bool,
    pub(crate) max_jail: u32,

    // agents (structure of arrays)
    pub kind: Vec<u8>,
    pub pos: Vec<u32>,
    pub state: Vec<u8>,
    pub jail: Vec<u32>,
    pub hardship: Vec<f32>,
    pub risk: Vec<f32>,
    pub group: Vec<u8>,
    pub age: Vec<u32>,

    // cells
    /// Who is in which cell (sequential scheduler). The parallel scheduler moves
    /// agents in parallel and keeps no lists: it indexes the few agents it must find
    /// by cell when it needs them.
    pub(crate) lists: Option<CellLists>,
    /// Parallel scheduler: the ids of the active citizens (ordered, so iteration is
    /// deterministic), from which it indexes the actives by cell for its cops.
    pub(crate) active_ids: Option<std::collections::BTreeSet<u32>>,
    /// All living agents per cell, jailed included.
    pub(crate) n_all: Vec<u16>,
    pub(crate) n_cop: Vec<u16>,
    /// Actives per cell, by group (Model I uses group 0 only).
    pub(crate) n_active: [Vec<u16>; 2],
    /// Living members per cell by group (Model II), jailed excluded.
    pub(crate) n_member: [Vec<u16>; 2],
    /// Cops and non-jailed living citizens per cell.
    pub(crate) n_free: Vec<u16>,

    pub(crate) counts_step: Counts,
    /// Sequential scheduler: for every cell, the packed cops and actives within a
    /// citizen's vision of it, kept up to date on every change (a change at one cell
    /// touches the cells of its own neighbourhood: shapes are symmetric). A citizen's
    /// look is then one read.
    pub(crate) window: Option<Vec<u64>>,
    /// `1 − exp(−k·m)` for whole `m` below 64.
    pub(crate) prob_table: Vec<f64>,
    /// Whether cops and citizens see the same neighbourhood.
    pub(crate) same_vision: bool,
    pub(crate) scratch: Option<crate::parallel::Scratch>,
}

impl World {
    /// Build the initial world (step 0) for `params` and `seed`.
    pub fn new(params: Params, seed: u64) -> World {
        let rules = params.rules();
        let grid = Grid::torus(params.width, params.height);
        let citizen_vision = if rules.citizens_use_cop_vision { params.cop_vision } else { params.citizen_vision };
        let nb_citizen = Neighbourhood::new(&grid, rules.neighborhood, citizen_vision, rules.include_center);
        let nb_cop = Neighbourhood::new(&grid, rules.neighborhood, params.cop_vision, rules.include_center);
        let same_vision = nb_citizen.offsets() == nb_cop.offsets();
        let nb_birth = Neighbourhood::new(&grid, sahel_engine::Shape::Moore, 1.0, false);
        let cells = grid.len();
        let model2 = params.epstein_model == 2;
        let max_jail = if params.max_jail_term.is_infinite() { LIFE } else { params.max_jail_term as u32 };

        // Who is where, as a list of (cell, kind) in agent-id order.
        let mut placed: Vec<(u32, u8)> = Vec::new();
        match rules.placement {
            Placement::ExactCounts => {
                let n_cops = (params.cop_density * cells as f64).round() as usize;
                let n_cit = ((params.citizen_density * cells as f64).round() as usize).min(cells - n_cops.min(cells));
                let mut order: Vec<u32> = (0..cells as u32).collect();
                Rng::new(seed, 0, streams::INIT, u64::MAX).shuffle(&mut order);
                for (i, &c) in order.iter().take(n_cops + n_cit).enumerate() {
                    placed.push((c, if i < n_cops { COP } else { CITIZEN }));
                }
                // agents in id order: cops first then citizens, as NetLogo creates them
            }
            Placement::PerCell => {
                for c in 0..cells as u32 {
                    let u = Rng::new(seed, 0, streams::INIT, c as u64).uniform();
                    if u < params.citizen_density {
                        placed.push((c, CITIZEN));
                    } else if u < params.citizen_density + params.cop_density {
                        placed.push((c, COP));
                    }
                }
            }
        }
        let n = placed.len();
        let mut w = World {
            rules,
            seed,
            step: 0,
            grid,
            nb_citizen,
            nb_cop,
            nb_birth,
            model2,
            max_jail,
            kind: Vec::with_capacity(n),
            pos: Vec::with_capacity(n),
            state: Vec::with_capacity(n),
            jail: Vec::with_capacity(n),
            hardship: Vec::with_capacity(n),
            risk: Vec::with_capacity(n),
            group: Vec::with_capacity(n),
            age: Vec::with_capacity(n),
            lists: (params.scheduler == Scheduler::Sequential).then(|| CellLists::new(cells, n)),
            n_all: vec![0; cells],
            active_ids: (params.scheduler == Scheduler::Parallel).then(Default::default),
            n_cop: vec![0; cells],
            n_active: [vec![0; cells], if model2 { vec![0; cells] } else { Vec::new() }],
            n_member: if model2 { [vec![0; cells], vec![0; cells]] } else { [Vec::new(), Vec::new()] },
            n_free: vec![0; cells],
            counts_step: Counts::default(),
            window: None,
            same_vision,
            prob_table: (0..64).map(|m| 1.0 - (-params.arrest_prob_constant * m as f64).exp()).collect(),
            scratch: None,
            params,
        };
        for (cell, kind) in placed {
            w.spawn(cell, kind, 0);
        }
        if w.params.scheduler == Scheduler::Sequential && w.nb_citizen.spans_fit() {
            let window = (0..cells as u32)
                .map(|c| {
                    let mut v = 0u64;
                    w.nb_citizen.for_each(&w.grid, c, |x| v += w.packed(x as usize));
                    v
                })
                .collect();
            w.window = Some(window);
        }
        w
    }

    /// Cops and actives of `cell`, packed.
    #[inline(always)]
    pub(crate) fn packed(&self, c: usize) -> u64 {
        let a1 = if self.model2 { self.n_active[1][c] as u64 } else { 0 };
        (self.n_cop[c] as u64) * COP_UNIT + (self.n_active[0][c] as u64) * active_unit(0) + a1
    }

    /// Add (or take away) `unit` at `cell` in the window sums.
    #[inline]
    fn window_change(&mut self, cell: u32, unit: u64, add: bool) {
        let Some(win) = self.window.as_mut() else { return };
        let delta = if add { unit } else { unit.wrapping_neg() };
        self.nb_citizen.for_each_span(&self.grid, cell, |s, l| {
            for v in &mut win[s as usize..(s + l) as usize] {
                *v = v.wrapping_add(delta);
            }
        });
    }

    /// Add an agent (initial population or a Model II clone) with fresh attributes.
    pub(crate) fn spawn(&mut self, cell: u32, kind: u8, step: u64) -> u32 {
        let id = self.kind.len() as u32;
        let mut r = Rng::new(self.seed, step, S_INIT_AGENT, id as u64);
        let hardship = r.uniform() as f32;
        let risk = r.uniform() as f32;
        let (group, age) = match &self.params.groups {
            Some(g) if kind == CITIZEN => {
                let group = if r.uniform() < g.first_group_share { 0 } else { 1 };
                // initial population: ages spread over a lifetime; newborns: 0
                let age = if step == 0 { r.below(g.max_age as u64) as u32 } else { 0 };
                (group, age)
            }
            _ => (0, 0),
        };
        self.kind.push(kind);
        self.pos.push(cell);
        self.state.push(QUIET);
        self.jail.push(0);
        self.hardship.push(hardship);
        self.risk.push(risk);
        self.group.push(group);
        self.age.push(age);
        if let Some(l) = self.lists.as_mut() {
            l.grow_agents(self.kind.len());
            l.insert(cell, id);
        }
        self.n_all[cell as usize] += 1;
        self.n_free[cell as usize] += 1;
        if kind == COP {
            self.n_cop[cell as usize] += 1;
        } else if self.model2 {
            self.n_member[group as usize][cell as usize] += 1;
        }
        id
    }

    pub fn agents(&self) -> usize {
        self.kind.len()
    }

    pub fn scheduler(&self) -> Scheduler {
        self.params.scheduler
    }

    /// Whether `cell` counts as empty for a moving agent.
    #[inline(always)]
    pub(crate) fn is_empty(&self, cell: u32) -> bool {
        if self.rules.jailed_occupy {
            self.n_all[cell as usize] == 0
        } else {
            self.n_free[cell as usize] == 0
        }
    }

    /// A uniformly random empty cell of `nb` around `from`, if any.
    #[inline]
    pub(crate) fn pick_empty(&self, rng: &mut Rng, nb: &Neighbourhood, from: u32) -> Option<u32> {
        let n = nb.len() as u64;
        if n == 0 {
            return None;
        }
        let (x, y) = self.grid.xy(from);
        let offsets = nb.offsets();
        for _ in 0..MOVE_TRIES {
            let (dx, dy) = offsets[rng.below(n) as usize];
            if let Some(c) = self.grid.offset_xy(x as i32, y as i32, dx, dy) {
                if self.is_empty(c) {
                    return Some(c);
                }
            }
        }
        let mut empties = Vec::new();
        nb.for_each(&self.grid, from, |c| {
            if self.is_empty(c) {
                empties.push(c)
            }
        });
        if empties.is_empty() {
            None
        } else {
            Some(empties[rng.below(empties.len() as u64) as usize])
        }
    }

    /// Whether agent `a` moves this step at all (movement switch; cops may always move).
    #[inline(always)]
    pub(crate) fn may_move(&self, a: u32) -> bool {
        if self.kind[a as usize] == COP {
            self.params.movement || self.rules.cops_always_move
        } else {
            self.params.movement && self.state[a as usize] <= ACTIVE
        }
    }

    pub(crate) fn vision_of(&self, a: u32) -> &Neighbourhood {
        if self.kind[a as usize] == COP {
            &self.nb_cop
        } else {
            &self.nb_citizen
        }
    }

    /// Move agent `a` to `to`, keeping every per-cell count right.
    pub(crate) fn relocate(&mut self, a: u32, to: u32) {
        let from = self.pos[a as usize];
        if from == to {
            return;
        }
        let (ai, f, t) = (a as usize, from as usize, to as usize);
        if let Some(l) = self.lists.as_mut() {
            l.move_agent(from, to, a);
        }
        self.n_all[f] -= 1;
        self.n_all[t] += 1;
        self.pos[ai] = to;
        let st = self.state[ai];
        if st <= ACTIVE || self.kind[ai] == COP {
            self.n_free[f] -= 1;
            self.n_free[t] += 1;
        }
        if self.kind[ai] == COP {
            self.n_cop[f] -= 1;
            self.n_cop[t] += 1;
            self.window_change(from, COP_UNIT, false);
            self.window_change(to, COP_UNIT, true);
        } else {
            let g = self.group[ai] as usize;
            if st == ACTIVE {
                self.n_active[g][f] -= 1;
                self.n_active[g][t] += 1;
                self.window_change(from, active_unit(g), false);
                self.window_change(to, active_unit(g), true);
            }
            if self.model2 && st <= ACTIVE {
                self.n_member[g][f] -= 1;
                self.n_member[g][t] += 1;
            }
        }
    }

    /// Change a citizen's state, keeping every per-cell count right.
    pub(crate) fn set_state(&mut self, a: u32, new: u8) {
        let ai = a as usize;
        let old = self.state[ai];
        if old == new {
            return;
        }
        let c = self.pos[ai] as usize;
        let g = self.group[ai] as usize;
        let free = |s: u8| s <= ACTIVE;
        if old == ACTIVE {
            self.n_active[g][c] -= 1;
            self.window_change(c as u32, active_unit(g), false);
            if let Some(ids) = self.active_ids.as_mut() {
                ids.remove(&a);
            }
        }
        if new == ACTIVE {
            self.n_active[g][c] += 1;
            self.window_change(c as u32, active_unit(g), true);
            if let Some(ids) = self.active_ids.as_mut() {
                ids.insert(a);
            }
        }
        if free(old) && !free(new) {
            self.n_free[c] -= 1;
            if self.model2 {
                self.n_member[g][c] -= 1;
            }
        } else if !free(old) && free(new) {
            self.n_free[c] += 1;
            if self.model2 {
                self.n_member[g][c] += 1;
            }
        }
        if new == DEAD {
            if let Some(l) = self.lists.as_mut() {
                l.remove(self.pos[ai], a);
            }
            self.n_all[c] -= 1;
        }
        self.state[ai] = new;
    }

    /// `f(C/A)` of the arrest-probability formula (see [`crate::rules`]).
    #[inline(always)]
    pub fn arrest_ratio(rule: ArrestRule, cops: u64, actives_plus_one: u64) -> f64 {
        crate::rules::arrest_ratio(rule, cops as f64, actives_plus_one as f64)
    }

    /// Whether citizen `a` could be active at all: with `G ≤ T` no count of cops
    /// can make `G − R·P > T` true (`R·P ≥ 0`), so it need not look.
    #[inline(always)]
    pub fn could_rebel(&self, a: u32, legitimacy: f64) -> bool {
        self.hardship[a as usize] as f64 * (1.0 - legitimacy) > self.params.active_threshold
    }

    /// Rule A: the state a free citizen chooses, seeing `cops` cops and
    /// `actives` actives (of its own side) within vision.
    #[inline(always)]
    pub fn choose(&self, a: u32, cops: u64, actives: u64, legitimacy: f64) -> u8 {
        let ai = a as usize;
        let p = &self.params;
        let ratio = Self::arrest_ratio(self.rules.arrest_rule, cops, actives + 1);
        // floor and round give whole ratios: their probabilities are tabulated
        let prob = match self.prob_table.get(ratio as usize) {
            Some(&q) if ratio.fract() == 0.0 => q,
            _ => crate::rules::arrest_probability(crate::params::ArrestRule::Exact, p.arrest_prob_constant, ratio, 1.0),
        };
        if crate::rules::wants_active(
            self.hardship[ai] as f64,
            legitimacy,
            self.risk[ai] as f64,
            prob,
            p.active_threshold,
        ) {
            ACTIVE
        } else {
            QUIET
        }
    }

    /// Cops and actives (of group `g`) within the vision of a citizen at `cell`, by
    /// reading the cells directly.
    #[inline]
    pub(crate) fn seen(&self, cell: u32, g: usize) -> (u64, u64) {
        if let Some(win) = &self.window {
            let v = win[cell as usize];
            return (v >> (2 * FIELD), (v >> (FIELD * (1 - g as u32))) & MASK);
        }
        let (mut c, mut act) = (0u32, 0u32);
        let n_active = &self.n_active[g];
        if self.nb_citizen.spans_fit() {
            self.nb_citizen.for_each_span(&self.grid, cell, |s, l| {
                let r = s as usize..(s + l) as usize;
                c += self.n_cop[r.clone()].iter().map(|&v| v as u32).sum::<u32>();
                act += n_active[r].iter().map(|&v| v as u32).sum::<u32>();
            });
        } else {
            self.nb_citizen.for_each(&self.grid, cell, |x| {
                c += self.n_cop[x as usize] as u32;
                act += n_active[x as usize] as u32;
            });
        }
        (c as u64, act as u64)
    }

    /// The actives within `nb` of `cell` that a cop (or, in Model II, an active
    /// of group `1 − g` hunting group `g`) could target: the `r`-th of them in the
    /// neighbourhood's fixed order, where `r` is drawn from `rng`. Within a cell the
    /// agents are found in the cell's list, or, without lists, in `index`: the
    /// wanted agents as `(cell, agent)` pairs sorted, exactly those `per_cell` counts.
    pub(crate) fn pick_in_vision(
        &self,
        rng: &mut Rng,
        nb: &Neighbourhood,
        cell: u32,
        per_cell: &[u16],
        wanted: impl Fn(u32) -> bool,
        index: Option<&[(u32, u32)]>,
    ) -> Option<u32> {
        let mut total = 0u64;
        nb.for_each(&self.grid, cell, |x| total += per_cell[x as usize] as u64);
        if total == 0 {
            return None;
        }
        let mut r = rng.below(total);
        let mut found = NONE;
        nb.for_each(&self.grid, cell, |x| {
            if found != NONE {
                return;
            }
            let k = per_cell[x as usize] as u64;
            if r < k {
                if let Some(index) = index {
                    let start = index.partition_point(|&(c, _)| c < x);
                    found = index[start + r as usize].1;
                    debug_assert_eq!(index[start + r as usize].0, x);
                    return;
                }
                let lists = self.lists.as_ref().expect("cell lists or an index");
                let mut i = 0;
                for b in lists.iter(x) {
                    if wanted(b) {
                        if i == r {
                            found = b;
                            break;
                        }
                        i += 1;
                    }
                }
                debug_assert!(found != NONE, "cell counts out of step with the cell's list");
            } else {
                r -= k;
            }
        });
        (found != NONE).then_some(found)
    }

    /// A uniformly random active citizen (of either group) within a cop's vision;
    /// `index`: the actives of each group as sorted `(cell, agent)` pairs, where the
    /// world keeps no cell lists.
    pub(crate) fn pick_active(&self, rng: &mut Rng, cell: u32, index: Option<&[Vec<(u32, u32)>; 2]>) -> Option<u32> {
        let w = self;
        let wanted = |b: u32| w.kind[b as usize] == CITIZEN && w.state[b as usize] == ACTIVE;
        // no active in sight: nothing to draw (the common case, answered in one read)
        if w.actives_seen_by_cop(cell, 0).unwrap_or(1)
            + if w.model2 { w.actives_seen_by_cop(cell, 1).unwrap_or(1) } else { 0 }
            == 0
        {
            return None;
        }
        if !w.model2 {
            return w.pick_in_vision(rng, &w.nb_cop, cell, &w.n_active[0], wanted, index.map(|i| &i[0][..]));
        }
        // Model II: draw the group in proportion to its actives in vision, then the agent.
        let mut counts = [0u64; 2];
        w.nb_cop.for_each(&w.grid, cell, |x| {
            counts[0] += w.n_active[0][x as usize] as u64;
            counts[1] += w.n_active[1][x as usize] as u64;
        });
        let total = counts[0] + counts[1];
        if total == 0 {
            return None;
        }
        let g = if rng.below(total) < counts[0] { 0 } else { 1 };
        w.pick_in_vision(
            rng,
            &w.nb_cop,
            cell,
            &w.n_active[g],
            |b| wanted(b) && w.group[b as usize] as usize == g,
            index.map(|i| &i[g][..]),
        )
    }

    /// Actives of group `g` within a cop's vision of `cell`, when the window sums
    /// can tell (cops and citizens see the same neighbourhood).
    #[inline]
    pub(crate) fn actives_seen_by_cop(&self, cell: u32, g: usize) -> Option<u64> {
        let win = self.window.as_ref()?;
        if !self.same_vision {
            return None;
        }
        Some((win[cell as usize] >> (FIELD * (1 - g as u32))) & MASK)
    }

    /// The jail term of a new arrest.
    #[inline]
    pub fn draw_jail_term(&self, rng: &mut Rng) -> u32 {
        if self.max_jail == LIFE {
            return LIFE;
        }
        match self.rules.jail_draw {
            JailDraw::Inclusive => rng.below(self.max_jail as u64 + 1) as u32,
            JailDraw::Exclusive => {
                if self.max_jail == 0 {
                    0
                } else {
                    rng.below(self.max_jail as u64) as u32
                }
            }
        }
    }

    /// Jail citizen `s` for `term` steps (arrested by cop `cop`).
    pub(crate) fn arrest(&mut self, cop: u32, s: u32, term: u32) {
        let free_at_once = term == 0 && self.rules.jail_countdown == JailCountdown::EndOfStep;
        if free_at_once {
            self.set_state(s, QUIET);
        } else {
            self.set_state(s, JAILED);
            self.jail[s as usize] = term;
        }
        if self.rules.cop_moves_to_arrest {
            let to = self.pos[s as usize];
            self.relocate(cop, to);
        }
    }

    /// End-of-step countdown (NetLogo, paper): every jailed agent's term falls by
    /// one; those reaching zero are free (quiet).
    pub(crate) fn countdown_all(&mut self) {
        for a in 0..self.agents() as u32 {
            if self.state[a as usize] == JAILED {
                let t = &mut self.jail[a as usize];
                if *t != LIFE {
                    *t = t.saturating_sub(1);
                }
                if *t == 0 {
                    self.set_state(a, QUIET);
                }
            }
        }
    }

    /// Model II: ageing, death at `max_age`, and cloning into an empty adjacent
    /// cell. Processed in agent-id order with each agent's own stream, so it is the
    /// same under both schedulers.
    pub(crate) fn life_cycle(&mut self) {
        let Some(g) = self.params.groups.clone() else {
            return;
        };
        let t = self.step;
        let n = self.agents();
        for a in 0..n as u32 {
            let ai = a as usize;
            if self.kind[ai] != CITIZEN || self.state[ai] == DEAD {
                continue;
            }
            self.age[ai] += 1;
            if self.age[ai] >= g.max_age {
                self.set_state(a, DEAD);
                self.counts_step.died_old += 1;
                continue;
            }
            if self.state[ai] > ACTIVE {
                continue; // jailed agents do not reproduce
            }
            let mut r = Rng::new(self.seed, t, S_LIFE, a as u64);
            if r.chance(g.clone_probability) {
                let nb = self.nb_birth.clone();
                if let Some(c) = self.pick_empty(&mut r, &nb, self.pos[ai]) {
                    let child = self.spawn(c, CITIZEN, t);
                    // a clone inherits its parent's group (fresh hardship and risk aversion)
                    let ci = child as usize;
                    let pg = self.group[ai];
                    if self.group[ci] != pg {
                        self.n_member[self.group[ci] as usize][c as usize] -= 1;
                        self.n_member[pg as usize][c as usize] += 1;
                        self.group[ci] = pg;
                    }
                    self.counts_step.born += 1;
                }
            }
        }
    }

    /// Advance one step with the scenario's scheduler.
    pub fn step(&mut self) {
        self.counts_step = Counts::default();
        self.step += 1;
        match self.params.scheduler {
            Scheduler::Sequential => crate::sequential::step(self),
            Scheduler::Parallel => crate::parallel::step(self),
        }
        if self.model2 {
            self.life_cycle();
        }
    }

    /// The counts that describe the world now.
    pub fn counts(&self) -> Counts {
        let mut c = self.counts_step;
        c.quiet = 0;
        c.active = 0;
        c.jailed = 0;
        c.cops = 0;
        c.alive = [0; 2];
        c.active_by_group = [0; 2];
        for a in 0..self.agents() {
            if self.kind[a] == COP {
                c.cops += 1;
                continue;
            }
            match self.state[a] {
                QUIET => c.quiet += 1,
                ACTIVE => {
                    c.active += 1;
                    c.active_by_group[self.group[a] as usize] += 1;
                }
                JAILED => c.jailed += 1,
                _ => continue,
            }
            c.alive[self.group[a] as usize] += 1;
        }
        c
    }

    /// Check every per-cell count against the agents (for tests and debug runs).
    pub fn check_invariants(&self) -> Result<(), String> {
        let cells = self.grid.len();
        let mut cop = vec![0u16; cells];
        let mut act = [vec![0u16; cells], vec![0u16; cells]];
        let mut free = vec![0u16; cells];
        let mut listed = vec![0u16; cells];
        let mut members = [vec![0u16; cells], vec![0u16; cells]];
        for a in 0..self.agents() {
            let c = self.pos[a] as usize;
            let s = self.state[a];
            if s == DEAD {
                continue;
            }
            listed[c] += 1;
            if self.kind[a] == COP {
                cop[c] += 1;
                free[c] += 1;
            } else {
                if s == ACTIVE {
                    act[self.group[a] as usize][c] += 1;
                }
                if s <= ACTIVE {
                    free[c] += 1;
                    members[self.group[a] as usize][c] += 1;
                }
                if s == JAILED && self.jail[a] == 0 && self.rules.jail_countdown == JailCountdown::EndOfStep {
                    return Err(format!("agent {a} jailed with no term left"));
                }
            }
        }
        if let Some(win) = &self.window {
            for c in 0..cells as u32 {
                let mut v = 0u64;
                self.nb_citizen.for_each(&self.grid, c, |x| v += self.packed(x as usize));
                if v != win[c as usize] {
                    return Err(format!("cell {c}: window sum out of step"));
                }
            }
        }
        for c in 0..cells {
            if let Some(lists) = &self.lists {
                let in_list = lists.iter(c as u32).count() as u16;
                if in_list != listed[c] || lists.count(c as u32) != listed[c] {
                    return Err(format!("cell {c}: list holds {in_list}, agents say {}", listed[c]));
                }
            }
            if let Some(ids) = &self.active_ids {
                let n = (0..self.agents()).filter(|&a| self.kind[a] == CITIZEN && self.state[a] == ACTIVE).count();
                if ids.len() != n || ids.iter().any(|&a| self.state[a as usize] != ACTIVE) {
                    return Err("the set of active ids is out of step".into());
                }
            }
            if self.n_all[c] != listed[c] {
                return Err(format!("cell {c}: n_all {} but {} agents", self.n_all[c], listed[c]));
            }
            if self.model2 && (members[0][c] != self.n_member[0][c] || members[1][c] != self.n_member[1][c]) {
                return Err(format!("cell {c}: group members out of step"));
            }
            if cop[c] != self.n_cop[c] || free[c] != self.n_free[c] || act[0][c] != self.n_active[0][c] {
                return Err(format!("cell {c}: counts out of step"));
            }
            if self.model2 && act[1][c] != self.n_active[1][c] {
                return Err(format!("cell {c}: group-1 actives out of step"));
            }
            // One agent per cell where the rules say so: Mesa's (jailed agents keep
            // their cell and cops never move onto an occupied one).
            if self.rules.jailed_occupy && !self.rules.cop_moves_to_arrest && listed[c] > 1 {
                return Err(format!("cell {c} holds {} agents", listed[c]));
            }
        }
        Ok(())
    }
}
