//! M5 Combat: an engagement between two hostile forces in one cell.
//!
//! Attrition follows Lanchester's equations, integrated day by day over the step:
//! * conventional against conventional: aimed fire on both sides (square law),
//!   `dX/dt = −β·Y`, `dY/dt = −α·X`;
//! * conventional X against irregular Y (Deitchman 1962): the guerrillas' aimed
//!   fire `dX/dt = −β·Y`, but the conventional side must first find them, so its
//!   fire is area fire, `dY/dt = −α·δ·X·Y/Y₀`, where `δ` is the chance of detection
//!   and `Y₀` the guerrillas' strength at first contact. Since
//!   `X² − X₀² = (2·β·Y₀/(α·δ))·(Y − Y₀)`, the conventional side wins (Y reaches
//!   zero while X > 0) iff `X₀² > 2·β·Y₀²/(α·δ)` — the Deitchman condition;
//!   with `area_fire_reference` > 0 the density is measured against that fixed
//!   strength `Y_ref` instead, `dY/dt = −α·δ·X·min(Y/Y_ref, 1)` (Deitchman's own
//!   `g·X·Y`), so a small band is no easier to hit per fighter than a large one;
//! * irregular against irregular: area fire on both sides (linear law).
//!
//! Detection rises with the civilians' cooperation with the attacker: local forces
//! who "know the area" fight better through information, not terrain (Lyall &
//! Wilson 2009; Lyall 2010): `δ = δ₀ + (1 − δ₀)·cooperation`.
//!
//! With `peacekeepers_fight_battles = false`, a standing battle needs two
//! sides that seek it: every Malian actor does, and so does a foreign force
//! with an offensive mandate; a peacekeeping force holds its base and is struck
//! by raids (below), in which it fires back, but fights no battle week after
//! week with the armed groups around it.
//!
//! With `towns_expose_irregulars = true`, guerrillas who fight a standing
//! battle for a town (an objective: a town or a regional capital, which they
//! hold or assault) have no cover to hide in: the enemy's fire on them is aimed
//! (square law), as on a conventional force. A war fought for towns along
//! front lines is conventional whatever the rebels' doctrine (Kalyvas &
//! Balcells 2010: the jihadists' push on Konna in January 2013, Serval's
//! battles for the northern towns); in the bush, and in raids, which the
//! raiders choose, they are found only by detection.
//!
//! A foreign force fires `foreign_effectiveness_factor` times as well as a
//! Malian force of its doctrine (air support, surveillance, training), and of
//! the hits it takes only `foreign_vulnerability` kill (armour, fortified
//! bases, air medical evacuation): the fire it suffers wounds or misses where
//! it would kill a Malian soldier.
//!
//! Strikes (`strikes_per_person_week`): most of the foreign forces' dead in
//! the Sahel fell to no battle and no raid but to mines and roadside bombs on
//! their convoys, rockets and mortars on their camps and suicide attacks
//! (a MINUSMA convoy's bomb near Goundam, Long War Journal, July 2014; an
//! explosive device then an assault north of Aguelhok, a dozen attacks in the
//! Kidal region killing twelve of the UN's staff in five months, UN
//! Secretary-General's statement, May 2016). Such a strike needs a few men who
//! know the roads, not an army: each week a foreign force's persons in a
//! region where an irregular actor hostile to it has fighters suffer a
//! Poisson number of deadly strikes, `strikes_per_person_week` times their
//! number, each killing one, whatever the attackers' strength. The strongest
//! such actor in the region is their author (a violent event there; a spoiler
//! attack if a jihadist strikes in the north). Malian forces' losses to mines
//! are left inside battles and raids: the foreign forces' are the only losses
//! observed by force (`data/mali/foreign-losses-2013-2017.csv`).
//!
//! Fire that misses hits civilians: collateral deaths are the shots a side fires
//! times `(1 − accuracy)` times the share of civilians among the people in the
//! cell, times `lethality` (Bennett 2008: accuracy matters more than
//! effectiveness). The grievance this raises against the perpetrator is M2's.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// Persons.
    pub force: f64,
    pub irregular: bool,
    /// Kill rate of its aimed fire, per fighter per day.
    pub effectiveness: f64,
    /// Share of its fire that hits combatants.
    pub accuracy: f64,
    /// Civilians' cooperation with this side in the cell (0..1).
    pub cooperation: f64,
    /// Share of the hits it takes that kill (1: every hit a death).
    pub vulnerability: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    /// Detection of an irregular force with no help from civilians.
    pub base_detection: f64,
    /// Civilian deaths per missed shot among civilians.
    pub lethality: f64,
    /// The guerrillas' strength at which area fire finds a target with every
    /// shot that detection allows (persons in a cell; `Y_ref` below); 0: their
    /// strength at first contact.
    pub area_fire_reference: f64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Persons lost by each side.
    pub loss: [f64; 2],
    /// Civilians killed by each side's fire.
    pub civilians_killed_by: [f64; 2],
}

/// Fight for `days` days in a cell holding `civilians` persons.
pub fn engage(sides: [Side; 2], days: u32, civilians: f64, t: &Terms) -> Outcome {
    let mut f = [sides[0].force, sides[1].force];
    let initial = f;
    let mut out = Outcome::default();
    const SUB: u32 = 4; // quarter-day Euler steps: error well under 1 % at these rates
    let dt = 1.0 / SUB as f64;
    for _ in 0..days * SUB {
        if f[0] <= 0.0 || f[1] <= 0.0 {
            break;
        }
        let mut kill = [0.0; 2]; // kills inflicted BY side i on the other
        for i in 0..2 {
            let (me, them) = (&sides[i], &sides[1 - i]);
            let shots = me.effectiveness * f[i] * dt;
            kill[i] = if them.irregular {
                // area fire: hits scale with the enemy's density, relative to its size at first contact
                let detection = t.base_detection + (1.0 - t.base_detection) * me.cooperation;
                let reference = if t.area_fire_reference > 0.0 { t.area_fire_reference } else { initial[1 - i] };
                shots * detection * (f[1 - i] / reference.max(1e-9)).min(1.0)
            } else {
                shots
            };
            let civ_share = civilians / (civilians + f[0] + f[1]).max(1e-9);
            out.civilians_killed_by[i] += shots * (1.0 - me.accuracy) * civ_share * t.lethality;
        }
        for i in 0..2 {
            let l = (kill[1 - i] * sides[i].vulnerability).min(f[i]);
            f[i] -= l;
            out.loss[i] += l;
        }
    }
    out
}

use super::params::M5;
use crate::scenario::{Doctrine, Kind};
use crate::step::{kill, Cause, Killer, Scratch, Victim};
use crate::world::*;
use sahel_engine::Rng;

const STREAM: u64 = sahel_engine::rng::streams::MODEL + 65;

/// Persons to agents: `x / ppa` rounded up or down at random, unbiased.
pub(crate) fn stochastic_count(x: f64, ppa: f64, r: &mut Rng) -> usize {
    let e = (x / ppa).max(0.0);
    e.floor() as usize + (r.uniform() < e.fract()) as usize
}

/// Fighter agents by (cell, actor) in the cells `fighting`, and civilians
/// (quiet, active, displaced) by cell in the cells `exposed`, in id order (one
/// pass over the agents).
type Fighters = std::collections::BTreeMap<(u32, u8), Vec<u32>>;
type Civilians = std::collections::BTreeMap<u32, Vec<u32>>;
fn present(w: &World, fighting: &[bool], exposed: &[bool]) -> (Fighters, Civilians) {
    let (mut fighters, mut civilians) = (Fighters::new(), Civilians::new());
    for i in 0..w.agents() {
        let c = w.cell[i];
        match w.state[i] {
            FIGHTER if fighting[c as usize] => fighters.entry((c, w.affil[i])).or_default().push(i as u32),
            QUIET | ACTIVE | DISPLACED if exposed[c as usize] => civilians.entry(c).or_default().push(i as u32),
            _ => {}
        }
    }
    (fighters, civilians)
}

impl Terms {
    /// The engagement terms of M5's parameters.
    fn of(p: &M5) -> Terms {
        Terms { base_detection: p.base_detection, lethality: p.lethality, area_fire_reference: p.area_fire_reference }
    }
}

/// Actor `x` fighting in cell `c` with `force` persons.
fn side_of(w: &World, p: &M5, x: usize, c: usize, force: f64) -> Side {
    let act = &w.actors[x];
    let conventional = act.doctrine == Doctrine::Conventional;
    let foreign = act.kind == Kind::Foreign;
    Side {
        force,
        irregular: !conventional,
        effectiveness: act.capacity
            * if conventional { p.conventional_effectiveness_per_day } else { p.irregular_effectiveness_per_day }
            * if foreign { p.foreign_effectiveness_factor } else { 1.0 },
        accuracy: if foreign { p.foreign_accuracy } else { p.malian_accuracy },
        cooperation: w.mean_support(c, x).unwrap_or(0.0),
        vulnerability: if foreign { p.foreign_vulnerability } else { 1.0 },
    }
}

/// Actor `x` loses `loss` persons in `cell`: a foreign force its persons there,
/// a Malian actor its fighters there (`list`, shuffled by `r`, the dead dropped).
fn lose(w: &mut World, s: &mut Scratch, list: Option<&mut Vec<u32>>, x: usize, cell: u32, loss: f64, r: &mut Rng) {
    if w.actors[x].kind == Kind::Foreign {
        let l = loss.min(w.foreign[x][cell as usize]);
        w.foreign[x][cell as usize] -= l;
        s.death(w, cell, l, false);
        s.tallies.deaths_foreign += l;
        s.tallies.losses[x] += l;
        s.credit(Victim::Actor(x as u16), l);
    } else if let Some(list) = list {
        r.shuffle(list);
        kill(w, s, list, loss, cell, false);
        list.retain(|&i| w.state[i as usize] != DEAD);
    }
}

/// Kill `persons` among the civilians `list` of `cell` (shuffled by `r`, the
/// dead dropped); returns the persons killed.
fn kill_civilians(w: &mut World, s: &mut Scratch, list: &mut Vec<u32>, persons: f64, cell: u32, r: &mut Rng) -> f64 {
    r.shuffle(list);
    let killed = kill(w, s, list, persons, cell, true);
    list.retain(|&i| w.state[i as usize] != DEAD);
    killed
}

/// Raids decided by M10: the raiding group (all of actor `a`'s force in its
/// cell) fights, for `days` days, the largest hostile force in the target cell,
/// of which it meets at most as many as it brings (a post or a patrol, not the
/// whole garrison), among the target cell's civilians; each side's losses fall
/// on its own fighters where they stand, and the raiders stay where they are.
/// Each raid is one violent event (a spoiler attack in the north if a jihadist
/// raids). Raids follow the week's battles, in M10's order, each seeing the
/// losses of the ones before.
pub fn raid(w: &mut World, s: &mut Scratch, p: &M5, raids: &[super::m10_strategy::Raid], days: u32) {
    let na = w.actors.len();
    let terms = Terms::of(p);
    s.cause = Cause::Raid;
    // fighters of the cells raids start from or strike, and civilians of the struck cells
    let mut involved = vec![false; w.raster.len()];
    let mut struck = vec![false; w.raster.len()];
    for &(_, from, t) in raids {
        involved[from as usize] = true;
        involved[t as usize] = true;
        struck[t as usize] = true;
    }
    let (mut fighters, mut civilians) = present(w, &involved, &struck);
    for (k, &(a, from, t)) in raids.iter().enumerate() {
        let (fu, tu) = (from as usize, t as usize);
        let raiders = s.force[a][fu];
        if raiders <= 0.0 {
            continue;
        }
        // the largest hostile force in the target cell (lowest id on ties)
        let Some(d) = (0..na)
            .filter(|&b| w.hostile(a, b) && s.force[b][tu] > 0.0)
            .max_by(|&x, &y| s.force[x][tu].partial_cmp(&s.force[y][tu]).expect("finite").then(y.cmp(&x)))
        else {
            continue;
        };
        let met = s.force[d][tu].min(raiders);
        let o = engage([side_of(w, p, a, tu, raiders), side_of(w, p, d, tu, met)], days, w.people(tu), &terms);
        let region = w.raster.region[tu] as usize;
        s.tallies.violent_events[region] += 1.0;
        if w.dyn_.north[tu] && w.actors[a].kind == Kind::Jihadist {
            w.dyn_.spoiler_attacks += 1.0;
        }
        let mut r = Rng::new(w.seed, w.step, STREAM + 1, k as u64);
        for (x, by, cell, loss) in [(a, d, from, o.loss[0]), (d, a, t, o.loss[1])] {
            if loss <= 0.0 {
                continue;
            }
            s.by(by);
            lose(w, s, fighters.get_mut(&(cell, x as u8)), x, cell, loss, &mut r);
            s.force[x][cell as usize] = (s.force[x][cell as usize] - loss).max(0.0);
        }
        // fire that misses hits the target cell's civilians
        let killed = o.civilians_killed_by[0] + o.civilians_killed_by[1];
        if let Some(list) = civilians.get_mut(&t).filter(|_| killed > 0.0) {
            let share = o.civilians_killed_by[0] / killed;
            s.by_shares(&[(Killer::Actor(a as u16), share), (Killer::Actor(d as u16), 1.0 - share)]);
            let persons = kill_civilians(w, s, list, killed, t, &mut r);
            s.harm[a][tu] += persons * share;
            s.harm[d][tu] += persons * (1.0 - share);
        }
    }
}

/// Strikes on foreign forces: in each cell, a foreign actor's persons suffer
/// `Poisson(strikes_per_person_week × persons)` deadly strikes, each killing
/// one, if an irregular actor hostile to it has fighters in the cell's region;
/// the strongest of those (lowest id on ties) is the author. Draws are keyed
/// on (cell, actor), so the order of the loop cannot change them.
pub fn strike(w: &mut World, s: &mut Scratch, p: &M5) {
    let (na, nr) = (w.actors.len(), w.raster.regions.len());
    s.cause = Cause::Strike;
    // persons of each actor by region
    let mut in_region = vec![vec![0.0; nr]; na];
    for (a, by_cell) in s.force.iter().enumerate() {
        for (c, &f) in by_cell.iter().enumerate() {
            in_region[a][w.raster.region[c] as usize] += f;
        }
    }
    let foreign: Vec<usize> = (0..na).filter(|&x| w.actors[x].kind == Kind::Foreign).collect();
    for x in foreign {
        for c in 0..w.raster.len() {
            let persons = w.foreign[x][c];
            if persons <= 0.0 {
                continue;
            }
            let region = w.raster.region[c] as usize;
            let author = (0..na)
                .filter(|&a| {
                    w.actors[a].doctrine != Doctrine::Conventional && w.hostile(a, x) && in_region[a][region] > 0.0
                })
                .max_by(|&a, &b| {
                    in_region[a][region].partial_cmp(&in_region[b][region]).expect("finite").then(b.cmp(&a))
                });
            let Some(a) = author else { continue };
            let mut r = Rng::new(w.seed, w.step, STREAM + 2, (c * na + x) as u64);
            let strikes = r.poisson(p.strikes_per_person_week * persons);
            if strikes == 0 {
                continue;
            }
            let loss = (strikes as f64).min(persons);
            s.by(a);
            lose(w, s, None, x, c as u32, loss, &mut r);
            s.force[x][c] = (s.force[x][c] - loss).max(0.0);
            s.tallies.violent_events[region] += strikes as f64;
            if w.dyn_.north[c] && w.actors[a].kind == Kind::Jihadist {
                w.dyn_.spoiler_attacks += strikes as f64;
            }
        }
    }
}

/// Whether actor `x` fights standing battles: every Malian actor and a foreign
/// force with an offensive mandate; a peacekeeping force (a foreign actor
/// without one) only if `peacekeepers_fight_battles`. Otherwise it holds its
/// base and fires back when raided (`raid`), but it does not seek battle with
/// the armed groups around it, nor they with it.
fn seeks_battle(w: &World, p: &M5, x: usize) -> bool {
    p.peacekeepers_fight_battles || w.actors[x].kind != Kind::Foreign || w.actors[x].offensive
}

/// Engagements in every cell where hostile forces that seek battle meet: the
/// two largest mutually hostile such actors in the cell fight for
/// `engagement_days_per_week` (in a town, with `towns_expose_irregulars`, with
/// aimed fire on both sides).
pub fn apply(w: &mut World, s: &mut Scratch, p: &M5) {
    let na = w.actors.len();
    let terms = Terms::of(p);
    let seeks: Vec<bool> = (0..na).map(|x| seeks_battle(w, p, x)).collect();
    s.cause = Cause::Battle;
    // where hostile forces meet: the two largest mutually hostile actors
    let mut battles: Vec<(usize, usize, usize)> = Vec::new();
    for c in 0..w.raster.len() {
        let present: Vec<usize> = (0..na).filter(|&a| s.force[a][c] > 0.0).collect();
        if present.len() < 2 {
            continue;
        }
        let mut best: Option<(usize, usize)> = None;
        let mut best_size = 0.0;
        for &a in &present {
            for &b in &present {
                if a < b && w.hostile(a, b) && seeks[a] && seeks[b] {
                    let size = s.force[a][c] + s.force[b][c];
                    if size > best_size {
                        best_size = size;
                        best = Some((a, b));
                    }
                }
            }
        }
        if let Some((a, b)) = best {
            battles.push((c, a, b));
        }
    }
    if battles.is_empty() {
        return;
    }
    // fighters and civilians of the battle cells
    let mut in_battle = vec![false; w.raster.len()];
    for &(c, _, _) in &battles {
        in_battle[c] = true;
    }
    let (mut fighters, mut civilians) = present(w, &in_battle, &in_battle);
    for (c, a, b) in battles {
        let cu = c as u32;
        let people = w.people(c);
        // fighting for a town, guerrillas are fought as a conventional force
        let exposed = p.towns_expose_irregulars && w.is_objective(cu);
        let side = |x: usize| {
            let sd = side_of(w, p, x, c, s.force[x][c]);
            Side { irregular: sd.irregular && !exposed, ..sd }
        };
        let o = engage([side(a), side(b)], p.engagement_days_per_week, people, &terms);
        let region = w.raster.region[c] as usize;
        s.tallies.violent_events[region] += 1.0;
        if w.dyn_.north[c] && (w.actors[a].kind == Kind::Jihadist || w.actors[b].kind == Kind::Jihadist) {
            w.dyn_.spoiler_attacks += 1.0;
        }
        let mut r = Rng::new(w.seed, w.step, STREAM, c as u64);
        for (k, (x, by)) in [(a, b), (b, a)].into_iter().enumerate() {
            s.by(by);
            lose(w, s, fighters.get_mut(&(cu, x as u8)), x, cu, o.loss[k], &mut r);
            s.by(x);
            if let Some(list) = civilians.get_mut(&cu) {
                s.harm[x][c] += kill_civilians(w, s, list, o.civilians_killed_by[k], cu, &mut r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(force: f64, irregular: bool, eff: f64) -> Side {
        Side { force, irregular, effectiveness: eff, accuracy: 1.0, cooperation: 0.0, vulnerability: 1.0 }
    }
    const T: Terms = Terms { base_detection: 1.0, lethality: 1.0, area_fire_reference: 0.0 };

    /// Square law: equal effectiveness, 1000 against 600; fought to the end the
    /// winner keeps sqrt(1000² − 600²) = 800.
    #[test]
    fn square_law_between_conventional_forces() {
        let o = engage([side(1000.0, false, 0.05), side(600.0, false, 0.05)], 400, 0.0, &T);
        assert!((o.loss[1] - 600.0).abs() < 1e-9);
        let left = 1000.0 - o.loss[0];
        assert!((left - 800.0).abs() < 8.0, "{left}");
    }

    /// Deitchman: X conventional (area fire α on guerrillas, normalised by their
    /// initial size Y₀), Y irregular (aimed fire β). From dX/dY = β·Y₀/(α·X):
    /// X² − X₀² = (2β·Y₀/α)·(Y − Y₀), so X wins iff X₀² > 2·β·Y₀²/α. With
    /// α = β = 0.05, Y₀ = 100: X wins iff X₀ > 141.4.
    #[test]
    fn the_deitchman_condition_decides_who_wins() {
        for (x0, x_wins) in [(120.0, false), (135.0, false), (150.0, true), (200.0, true)] {
            let o = engage([side(x0, false, 0.05), side(100.0, true, 0.05)], 2000, 0.0, &T);
            let x_left = x0 - o.loss[0];
            let y_left = 100.0 - o.loss[1];
            assert_eq!(y_left < 1e-6 && x_left > 0.0, x_wins, "X0 = {x0}: X left {x_left}, Y left {y_left}");
        }
    }

    /// Information, not terrain: the same conventional force kills more guerrillas
    /// when civilians cooperate with it.
    /// Deitchman (1962) with a fixed reference density: `dY/dt = −α·δ·X·Y/Y_ref`,
    /// so against a force that takes no losses a band of any size up to
    /// `Y_ref` loses the same share, `1 − (1 − α·δ·X·dt/Y_ref)^(days/dt)`
    /// (quarter-day steps); measured from first contact (`Y_ref = Y₀`) a small
    /// band loses a far larger share than a large one.
    #[test]
    fn area_fire_at_a_fixed_reference_spares_small_bands() {
        let x = side(1000.0, false, 0.01);
        let share = |y0: f64, reference: f64| {
            let t = Terms { base_detection: 0.5, lethality: 0.0, area_fire_reference: reference };
            engage([x, side(y0, true, 0.0)], 3, 0.0, &t).loss[1] / y0
        };
        let expected = 1.0 - (1.0 - 0.01 * 0.5 * 1000.0 * 0.25 / 1000.0f64).powi(12);
        for y0 in [50.0, 500.0, 1000.0] {
            assert!((share(y0, 1000.0) - expected).abs() < 1e-12, "{y0}: {} vs {expected}", share(y0, 1000.0));
        }
        assert!(share(50.0, 0.0) > 5.0 * share(500.0, 0.0), "{} vs {}", share(50.0, 0.0), share(500.0, 0.0));
    }

    #[test]
    fn civilian_cooperation_raises_detection() {
        let t = Terms { base_detection: 0.2, lethality: 1.0, area_fire_reference: 0.0 };
        let mut x = side(500.0, false, 0.05);
        let y = side(200.0, true, 0.05);
        let cold = engage([x, y], 7, 0.0, &t).loss[1];
        x.cooperation = 0.8;
        let warm = engage([x, y], 7, 0.0, &t).loss[1];
        assert!(warm > 2.0 * cold, "{warm} vs {cold}");
    }

    /// Collateral deaths fall with accuracy and vanish without civilians.
    #[test]
    fn collateral_harm_follows_accuracy() {
        let t = Terms { base_detection: 1.0, lethality: 0.1, area_fire_reference: 0.0 };
        let mut x = side(500.0, false, 0.05);
        let y = side(200.0, true, 0.05);
        x.accuracy = 0.5;
        let sloppy = engage([x, y], 7, 10_000.0, &t).civilians_killed_by[0];
        x.accuracy = 0.9;
        let precise = engage([x, y], 7, 10_000.0, &t).civilians_killed_by[0];
        assert!(sloppy > 4.0 * precise && precise > 0.0);
        assert_eq!(engage([x, y], 7, 0.0, &t).civilians_killed_by[0], 0.0);
    }

    /// A protected side loses its vulnerability times what an unprotected one
    /// would in the first day, and inflicts as much (aimed fire, both sides).
    #[test]
    fn protection_scales_the_losses_a_side_takes() {
        let x = side(100.0, false, 0.01);
        let y = side(100.0, false, 0.01);
        let bare = engage([x, y], 1, 0.0, &T);
        let armoured = engage([Side { vulnerability: 0.1, ..x }, y], 1, 0.0, &T);
        assert!((armoured.loss[0] - 0.1 * bare.loss[0]).abs() < 0.01 * bare.loss[0], "{armoured:?} vs {bare:?}");
        assert!(armoured.loss[1] >= bare.loss[1]);
    }

    #[test]
    fn losses_never_exceed_forces() {
        let o = engage([side(10.0, false, 5.0), side(1000.0, false, 5.0)], 30, 100.0, &T);
        assert!(o.loss[0] <= 10.0 && o.loss[1] <= 1000.0);
    }
}
