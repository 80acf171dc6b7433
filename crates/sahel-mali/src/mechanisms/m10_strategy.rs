//! M10 Actor strategy (after Athena's actors and tactics): every Malian armed
//! actor decides each week, group by group (its fighters in one cell), where to
//! put its forces, by a rule of its doctrine:
//! * an irregular group evades: where the hostile *conventional* force in its
//!   cell is `evade_ratio` times its own, it leaves for the reachable objective
//!   with the least hostile force, or, with `evade_to_bush`, an irregular armed
//!   group (not a militia) that evades or falls back takes to the bush: the
//!   nearest cell within reach that is no objective and holds no hostile force
//!   (guerrillas shelter where there is no ground to hold: the Adrar des
//!   Ifoghas in 2013, the forests of the centre later);
//! * any group falls back (a breakpoint, as in Helmbold's and Lanchester-model
//!   practice) where the hostile force in its cell, each force counted at its
//!   actor's fighting capacity, is `evade_ratio` times its side's so counted; a
//!   conventional group, and a militia (an auxiliary armed and supplied by the
//!   state it backs), also counts what its enemies can mass on its cell this
//!   week: a garrison falls back before the assault; with
//!   `irregulars_anticipate` a guerrilla group in a town counts it too, and
//!   with `anticipate_targets` as well it scores no town to take or reinforce
//!   where its enemies can mass `evade_ratio` times what its side can (it
//!   would leave it before the assault: without this, a group can shuttle
//!   week by week between a threatened town and the bush). A conventional group goes
//!   to the reachable objective held by its side with the least hostile force
//!   (nearest on ties), or stays if there is none. The coup's shock to the
//!   state's capacity is what can break the garrisons of a state that held them
//!   the week before;
//! * an actor that names the regions it fights for (`operates_in`, its declared
//!   aims; `mali-2012` names none) scores only objectives there, gives its own
//!   cell no value outside them (so a group there heads back), and evades or
//!   falls back to a refuge within them if it can;
//! * otherwise each group scores the objectives within `reach_km` (towns and
//!   regional capitals) and its own cell:
//!   - a town held by a hostile actor is worth attacking only where the actor
//!     and its allies, massing every group within `reach_km` of it, would have
//!     `attack_ratio` times the hostile force there (forces counted at their
//!     actors' fighting capacity); the groups that score it best converge on it;
//!   - its own cell, held by its side, is worth holding, more so under threat
//!     (what hostile actors can mass on it; up to 1.3 times an assault's role, or
//!     at most an assault's with `hold_capped`); another town its side holds is
//!     worth reinforcing only by the part of that threat its side there cannot
//!     meet (so forces do not drain to the most populous town their side holds);
//!   - the value of a town grows with the square root of its population and with
//!     the support its people give the actor (home communities count), and falls
//!     with distance (e-folding 1,000 km);
//! * with `home_pull`, a group of a rebel or jihadist actor also scores the
//!   towns of its home regions (where it had fighters on the start date, and
//!   its region of origin) beyond `reach_km`, and marches towards the best of
//!   them, to the cell within reach nearest it (Ansar Dine's Kidal);
//! * with `serve_pull`, a group of an actor that funds services (M2's
//!   provider) also weighs a town its side holds where none of its fighters
//!   stand by the void it would fill there: the share of its services that
//!   the people's shortfall (what they expect less what the town's holder
//!   delivers) would credit it for, in place of the reinforcement role when
//!   larger (the brief's jihadists, who win people over by the services the
//!   state fails to deliver, go where the people lack them: the towns their
//!   allies took in 2012);
//! * with `state_presence`, the state's army aims at a presence in each town
//!   its side holds in proportion to the town's people (population-centric
//!   counterinsurgency: Quinlivan 1995, FM 3-24): a town short of its aim
//!   draws a state group by the share it lacks (in place of the reinforcement
//!   role when larger), and a town where the army stands beyond its aim is
//!   worth holding only for the share it needs; it weighs such a town beyond
//!   `reach_km` too, and marches towards the best, as `home_pull` does (a
//!   state redeploys to the towns retaken for it, however far: the
//!   redeployment of the army in the north that MINUSMA's mandates support);
//! * with `withdraw_cut_off`, a group of the state's army in a region whose
//!   capital its side no longer holds, that would stay there or fall back to
//!   another place in such a region (not one that moves to attack or
//!   reinforce), withdraws instead, leaving no garrison, towards the nearest
//!   town its side holds in a region whose capital its side holds (marching,
//!   beyond `reach_km`): a garrison cut off from its region's seat is
//!   abandoned, as the army left its last northern posts once Kidal, Gao and
//!   Timbuktu had fallen in 2012. Without it two outmatched garrisons of a
//!   lost region can fall back on each other's town week after week;
//! * a group moves when a target scores at least a fifth better than staying; a
//!   group that is not evading or falling back leaves half its fighters to hold
//!   a town its side holds (a garrison), in whole detachments of
//!   `detachment_persons` rounded at random (a group smaller than one stays or
//!   goes whole), so that a finer scale does not split forces finer.
//!
//! * a group of an irregular non-state actor (rebel, jihadist, militia) that
//!   holds its ground this week (neither moving, evading nor falling back) raids,
//!   with chance `raid_per_week`, the nearest hostile force within `reach_km`
//!   (nearest cell, lowest cell id on ties): an ambush or an attack on a post or
//!   a patrol, after which it is back where it stands. The raid is fought by M5
//!   (`m5_combat::raid`). Guerrillas fight mostly this way: they strike where
//!   they choose and do not hold what they strike (Deitchman 1962; Kress &
//!   Szechtman 2009).
//!
//! Foreign actors decide here only with an offensive mandate (`offensive =
//! true`, Serval's and Barkhane's France): their forces then move by the same
//! rule from the bases where deployments (scenario events) put them; the
//! others (peacekeepers) stay at their bases. An offensive actor that hunts
//! (`hunts = true`, a counter-terrorist mandate) sends each of its task forces
//! that is neither falling back nor attacking a town held by its enemies
//! against the largest hostile Malian group within reach that it outmasses
//! `attack_ratio` times, wherever that group is (a town or the bush: the Adrar
//! des Ifoghas in 2013), if it finds it: it locates the groups in a cell that
//! week with M5's chance of detection, `base_detection + (1 − base_detection)`
//! times the support of the cell's people for the hunter (information, Lyall &
//! Wilson 2009), one draw per actor, cell and week. A task force leaving a
//! town its side holds leaves half to hold it.

use super::params::M10;
use crate::scenario::{Doctrine, Kind, Stance};
use crate::world::*;
use sahel_engine::Rng;

const STREAM: u64 = sahel_engine::rng::streams::MODEL + 60;

/// What every decision of the week reckons with, from the snapshot at the
/// start of the phase.
struct Reckoning<'a> {
    /// Every actor's persons per cell.
    f: &'a [Vec<f64>],
    /// `massed[b][t]`: the force actor `b` can bring to objective `t` this week
    /// (its groups within reach), at power.
    massed: Vec<Vec<f64>>,
    /// A person's weight in every reckoning, by actor: its actor's capacity
    /// (the coup's shock) times `fire`.
    power: Vec<f64>,
    /// A foreign force's fire factor (M5) with `weigh_firepower`, else 1.
    fire: Vec<f64>,
    /// With `serve_pull`, per cell: the void a service provider would fill
    /// there (M2's `void_shares`, reckoned once a week for the objectives;
    /// empty when off).
    void: Vec<f64>,
    /// With `state_presence`, per cell: the state's aimed presence in a town
    /// its side holds (persons; empty when off).
    presence: Vec<f64>,
}

/// Whether actor `a` fights as guerrillas: an irregular armed group, not a
/// militia (an auxiliary armed and supplied by the state it backs).
fn guerrilla(w: &World, a: usize) -> bool {
    w.actors[a].doctrine == Doctrine::Irregular && w.actors[a].kind != Kind::Militia
}

/// With `state_presence`, the state's aimed presence in town `t` (persons),
/// when `a` is the state and its side holds `t`.
fn presence_of(w: &World, r: &Reckoning, a: usize, t: usize) -> Option<f64> {
    (!r.presence.is_empty()
        && w.actors[a].kind == Kind::State
        && w.stance[a][w.controller[t] as usize] == Stance::Allied
        && w.is_objective(t as u32))
    .then(|| r.presence[t])
}

/// The state's aimed presence in each town its side holds: its persons under
/// arms times the town's share of the people of all the towns its side holds
/// (`state_presence`); 0 elsewhere.
fn aimed_presence(w: &World, f: &[Vec<f64>]) -> Vec<f64> {
    let s = w.state_actor();
    let mut aim = vec![0.0; w.raster.len()];
    let held: Vec<u32> = w
        .dyn_
        .objectives
        .iter()
        .copied()
        .filter(|&o| w.stance[s][w.controller[o as usize] as usize] == Stance::Allied)
        .collect();
    let people: f64 = held.iter().map(|&o| w.people(o as usize)).sum();
    let force: f64 = f[s].iter().sum();
    if people > 0.0 {
        for &o in &held {
            aim[o as usize] = force * w.people(o as usize) / people;
        }
    }
    aim
}

/// Score of `target` for a group of actor `a` at `from`.
fn score(w: &World, r: &Reckoning, a: usize, from: u32, target: u32, p: &M10) -> f64 {
    let na = w.actors.len();
    let (f, massed) = (r.f, &r.massed);
    let (t, tu) = (target, target as usize);
    // forces counted at their actors' fighting power (capacity: the coup's shock)
    let cap = |b: usize| r.power[b];
    let enemy: f64 = (0..na).filter(|&b| w.hostile(a, b)).map(|b| f[b][tu] * cap(b)).sum();
    let own: f64 = (0..na).filter(|&b| w.stance[a][b] == Stance::Allied).map(|b| f[b][tu] * cap(b)).sum();
    // an attack masses every group of the actor and its allies within reach
    let arriving = if t == from {
        own
    } else {
        (0..na).filter(|&b| w.stance[a][b] == Stance::Allied).map(|b| massed[b][tu]).sum()
    };
    let holder = w.controller[tu] as usize;
    // the threat to a town its side holds: what hostile actors can mass on it this week
    let threat = || (0..na).filter(|&b| w.hostile(a, b)).map(|b| massed[b][tu]).sum::<f64>().max(enemy);
    let role = if w.hostile(a, holder) {
        if arriving >= p.attack_ratio * enemy {
            1.0
        } else {
            0.1 * arriving / (p.attack_ratio * enemy + 1.0)
        }
    } else if t == from {
        // holding where it stands, more so under threat
        let hold = holding_score(threat(), own, p.hold_capped);
        match presence_of(w, r, a, tu) {
            // beyond its aimed presence, worth holding only for the share it needs
            Some(aim) if f[a][tu] > aim => hold * aim / f[a][tu],
            _ => hold,
        }
    } else if w.stance[a][holder] == Stance::Allied {
        // reinforcing: only the part of the threat its side there cannot meet
        let meet = ((p.attack_ratio * threat() - own) / (own + 1.0)).clamp(0.0, 1.0);
        match presence_of(w, r, a, tu) {
            // or the share of its aimed presence it lacks there
            Some(aim) if aim > 0.0 => meet.max(((aim - f[a][tu]) / aim).clamp(0.0, 1.0)),
            _ => meet,
        }
    } else {
        0.0
    };
    // a service provider also goes to a town its side holds for the void it
    // would fill there, where none of its fighters stand (`serve_pull`)
    let role = if p.serve_pull
        && t != from
        && f[a][tu] <= 0.0
        && super::m2_services::provides(w, a)
        && w.stance[a][holder] == Stance::Allied
    {
        role.max(r.void.get(tu).copied().unwrap_or(0.0))
    } else {
        role
    };
    // a guerrilla that anticipates does not go to a town it would leave before
    // the assault (`anticipate_targets`)
    let untenable =
        p.anticipate_targets && p.irregulars_anticipate && guerrilla(w, a) && t != from && w.is_objective(t) && {
            let massed_threat = threat();
            massed_threat > 0.0 && massed_threat >= p.evade_ratio * arriving
        };
    let role = if untenable { 0.0 } else { role };
    // people and their support for the actor
    let nc = w.communities.len();
    let (mut people, mut backing) = (0.0, 0.0);
    for k in 0..nc {
        let n = w.people_of(t as usize, k);
        people += n;
        backing += n * (w.support_of(t, k as u8, a) as f64 + if w.actors[a].home[k] { 0.3 } else { 0.0 });
    }
    let support = if people > 0.0 { backing / people } else { 0.1 };
    let value = (people / 1000.0 + 1.0).sqrt();
    let d = w.raster.distance(from, t);
    value * role * (0.2 + support) * (-d / 1000.0).exp()
}

/// Where the group of actor `a` at `from` (`group` persons) goes this week, and
/// whether it is leaving (evading or falling back) rather than choosing.
fn decide(w: &World, r: &Reckoning, a: usize, from: u32, group: f64, p: &M10) -> (u32, bool) {
    let na = w.actors.len();
    let (f, massed) = (r.f, &r.massed);
    let reach: Vec<u32> =
        w.dyn_.objectives.iter().copied().filter(|&o| w.raster.distance(from, o) <= p.reach_km).collect();
    let ours = |x: u32| fights_in(w, a, x);
    let hostile_conv: f64 = (0..na)
        .filter(|&b| w.hostile(a, b) && w.actors[b].doctrine == Doctrine::Conventional)
        .map(|b| f[b][from as usize] * r.fire[b])
        .sum();
    let irregular = w.actors[a].doctrine == Doctrine::Irregular;
    let cap = |b: usize| r.power[b];
    let hostile_all: f64 = (0..na).filter(|&b| w.hostile(a, b)).map(|b| f[b][from as usize] * cap(b)).sum();
    let own_side: f64 =
        (0..na).filter(|&b| w.stance[a][b] == Stance::Allied).map(|b| f[b][from as usize] * cap(b)).sum();
    // an irregular group evades a stronger conventional force; any group falls
    // back when its side is outmatched (forces at capacity); a conventional
    // garrison also weighs what its enemies can mass on it this week (and so does
    // a militia, an auxiliary armed and supplied by the state it backs)
    let guerrilla = guerrilla(w, a);
    let weighs_massed = !guerrilla || (p.irregulars_anticipate && w.is_objective(from));
    let hostile_near: f64 = if !weighs_massed {
        hostile_all
    } else {
        (0..na).filter(|&b| w.hostile(a, b)).map(|b| massed[b][from as usize]).sum::<f64>().max(hostile_all)
    };
    let outmatched = hostile_near > 0.0 && hostile_near >= p.evade_ratio * own_side;
    let leaving = outmatched || (irregular && hostile_conv > 0.0 && hostile_conv >= p.evade_ratio * group);
    let target = if leaving {
        // the least threatened reachable objective (nearest on ties); falling
        // back, only one its side holds
        // (within the regions it fights for if it can)
        let threat = |x: u32| -> f64 { (0..na).filter(|&b| w.hostile(a, b)).map(|b| f[b][x as usize]).sum() };
        let refuge = |within: bool| {
            reach
                .iter()
                .copied()
                .filter(|&o| {
                    o != from
                        && (!within || ours(o))
                        && (irregular || w.stance[a][w.controller[o as usize] as usize] == Stance::Allied)
                })
                .min_by(|&x, &y| {
                    threat(x)
                        .partial_cmp(&threat(y))
                        .expect("finite")
                        .then(w.raster.distance(from, x).partial_cmp(&w.raster.distance(from, y)).expect("finite"))
                })
        };
        let bush = |within: bool| {
            let mut best: Option<(f64, u32)> = None;
            for x in 0..w.raster.len() as u32 {
                let d = w.raster.distance(from, x);
                if d > p.reach_km || best.is_some_and(|(bd, _)| d >= bd) {
                    continue;
                }
                if x != from && !w.is_objective(x) && (!within || ours(x)) && threat(x) <= 0.0 {
                    best = Some((d, x));
                }
            }
            best.map(|(_, x)| x)
        };
        if p.evade_to_bush && guerrilla {
            bush(true).or_else(|| bush(false)).unwrap_or(from)
        } else {
            refuge(true).or_else(|| refuge(false)).unwrap_or(from)
        }
    } else {
        // outside the regions it fights for, staying is worth nothing
        let stay = if ours(from) { score(w, r, a, from, from, p) } else { 0.0 };
        let mut best = (stay * 1.2, from);
        for &o in &reach {
            if o == from || !ours(o) {
                continue;
            }
            let s = score(w, r, a, from, o, p);
            if s > best.0 {
                best = (s, o);
            }
        }
        // beyond reach: with `home_pull`, a rebel or jihadist group weighs the
        // towns of its home regions; with `state_presence`, the state weighs
        // the towns its side holds that are short of its aimed presence (it
        // redeploys to towns retaken for it, however far)
        let home = (p.home_pull && matches!(w.actors[a].kind, Kind::Rebel | Kind::Jihadist)).then(|| &w.dyn_.home[a]);
        let redeploys = !r.presence.is_empty() && w.actors[a].kind == Kind::State;
        if home.is_some() || redeploys {
            for &o in &w.dyn_.objectives {
                if w.raster.distance(from, o) <= p.reach_km || !ours(o) {
                    continue;
                }
                let pulls = home.is_some_and(|h| h[w.raster.region[o as usize] as usize])
                    || (redeploys && presence_of(w, r, a, o as usize).is_some_and(|aim| f[a][o as usize] < aim));
                if !pulls {
                    continue;
                }
                let s = score(w, r, a, from, o, p);
                if s > best.0 {
                    best = (s, o);
                }
            }
        }
        towards(w, from, best.1, p.reach_km)
    };
    // with `withdraw_cut_off`, a state group that would stay, or fall back
    // within it, in a region whose capital its side has lost withdraws to the
    // nearest town its side holds in a region whose capital its side holds
    // (lowest id on ties)
    if p.withdraw_cut_off && w.actors[a].kind == Kind::State && (target == from || leaving) {
        let side_holds = |c: u32| w.stance[a][w.controller[c as usize] as usize] == Stance::Allied;
        let seat_held = |c: u32| side_holds(w.capital[w.raster.region[c as usize] as usize]);
        if !seat_held(from) && !seat_held(target) {
            let nearest =
                w.dyn_.objectives.iter().copied().filter(|&o| side_holds(o) && seat_held(o)).min_by(|x, y| {
                    w.raster
                        .distance(from, *x)
                        .partial_cmp(&w.raster.distance(from, *y))
                        .expect("finite")
                        .then(x.cmp(y))
                });
            if let Some(goal) = nearest {
                return (towards(w, from, goal, p.reach_km), true);
            }
        }
    }
    (target, leaving)
}

/// Where a group at `from` heading for `goal` goes this week: the goal when it
/// is within `reach_km`, else a march to the cell within reach nearest it
/// (lowest id on ties).
fn towards(w: &World, from: u32, goal: u32, reach_km: f64) -> u32 {
    if w.raster.distance(from, goal) <= reach_km {
        return goal;
    }
    let mut step = (f64::INFINITY, from);
    for x in 0..w.raster.len() as u32 {
        if w.raster.distance(from, x) <= reach_km {
            let d = w.raster.distance(x, goal);
            if d < step.0 {
                step = (d, x);
            }
        }
    }
    step.1
}

/// Whether a group of actor `a` moving out of `from` leaves half behind: it is
/// not evading or falling back, and `from` is an objective its side holds.
fn garrisons(w: &World, a: usize, from: u32, leaving: bool) -> bool {
    !leaving && w.stance[a][w.controller[from as usize] as usize] == Stance::Allied && w.is_objective(from)
}

/// How many of a group's `n` agents (of `ppa` persons each when whole) stay
/// to hold the town it leaves: half the group, in whole detachments of
/// `detachment` persons (at least one agent), the half rounded at random to a
/// whole number of them; a group smaller than one detachment stays or goes
/// whole, at even odds. Unbiased: half the group stays on average, and how
/// finely a force splits does not depend on `ppa` (below `detachment`). With
/// `detachment` at most `ppa` this is half the agents, an odd one out staying
/// or going at random.
pub fn garrison_agents(n: usize, ppa: f64, detachment: f64, r: &mut Rng) -> usize {
    let unit = detachment.max(ppa) / ppa; // agents a detachment
    let units = n as f64 / unit;
    // unbiased rounding that draws only for a fractional part (unlike M5's
    // `stochastic_count`), so a detachment of one agent repeats the old rule's draws
    let round = |x: f64, r: &mut Rng| x.floor() + f64::from(u8::from(x.fract() > 0.0 && r.chance(x.fract())));
    if units < 1.0 {
        return if r.chance(0.5) { n } else { 0 };
    }
    let kept = round(units / 2.0, r) * unit;
    (round(kept, r) as usize).min(n)
}

/// A raid: actor, the raiding group's cell, the target cell.
pub type Raid = (usize, u32, u32);

/// The nearest cell within reach of `from` holding a force hostile to `a`
/// (lowest cell id on ties); `camps[b]` lists the cells where actor `b` has force.
fn raid_target(w: &World, camps: &[Vec<u32>], a: usize, from: u32, p: &M10) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for (b, cb) in camps.iter().enumerate() {
        if !w.hostile(a, b) {
            continue;
        }
        for &c in cb {
            let d = w.raster.distance(from, c);
            if d <= p.reach_km && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Whether cell `c` lies in the regions actor `a` fights for (its declared
/// aims; every region when it names none).
fn fights_in(w: &World, a: usize, c: u32) -> bool {
    w.dyn_.operates[a][w.raster.region[c as usize] as usize]
}

/// Whether hunting actor `a` locates the armed groups in cell `c` this week:
/// with chance `base_detection + (1 − base_detection)` times the support of the
/// cell's people for it (M5's detection), one draw per actor, cell and week.
fn located(w: &World, a: usize, c: u32, base_detection: f64) -> bool {
    let help = w.mean_support(c as usize, a).unwrap_or(0.0);
    let chance = base_detection + (1.0 - base_detection) * help;
    chance >= 1.0 || Rng::new(w.seed, w.step, STREAM + 2, (a as u64) << 32 | c as u64).chance(chance)
}

/// Where a task force of a hunting actor `a` at `from` (`x` persons) strikes
/// when it has no town to take: the cell within reach, in the regions it
/// fights for, of the largest group of a hostile Malian actor it outmasses
/// `attack_ratio` times (forces at their actors' capacity) among those it has
/// located this week (`located`); the nearest, then the lowest cell id, on
/// ties. `camps[b]` lists the cells where actor `b` has force.
#[allow(clippy::too_many_arguments)]
fn hunt_target(
    w: &World,
    r: &Reckoning,
    camps: &[Vec<u32>],
    a: usize,
    from: u32,
    x: f64,
    p: &M10,
    base_detection: f64,
) -> Option<u32> {
    let (f, power) = (r.f, &r.power);
    let strength = x * power[a];
    let mut best: Option<(f64, f64, u32)> = None;
    for (b, cb) in camps.iter().enumerate() {
        if !w.hostile(a, b) || !w.malian_active(b) {
            continue;
        }
        for &c in cb {
            let d = w.raster.distance(from, c);
            let g = f[b][c as usize] * power[b];
            if d > p.reach_km || !fights_in(w, a, c) || strength < p.attack_ratio * g {
                continue;
            }
            let better = match best {
                None => true,
                Some((bg, bd, bc)) => g > bg || (g == bg && (d < bd || (d == bd && c < bc))),
            };
            // located only if it would be the best so far (the draw is keyed, so its order is free)
            if better && located(w, a, c, base_detection) {
                best = Some((g, d, c));
            }
        }
    }
    best.map(|(_, _, c)| c)
}

/// The role factor of holding the town a group stands in, held by its side,
/// under a `threat` (what hostile actors can mass on it) against its side's
/// `own` force there: 0.3 unthreatened, rising with the threat to 1.3, or with
/// `capped` to 1.0, an assault's (so a side that can take a town does not sit
/// in one it could still hold).
pub fn holding_score(threat: f64, own: f64, capped: bool) -> f64 {
    let pressed = (threat / (own + 1.0)).min(1.0);
    if capped {
        0.3 + 0.7 * pressed
    } else {
        0.3 + pressed
    }
}

/// Move each group; `f` is every actor's force per cell at the start of the
/// phase; `base_detection` is M5's (a hunt finds a group as a battle does).
/// Returns the raids decided this week (in group order), for M5.
pub fn apply(w: &mut World, f: &[Vec<f64>], p: &M10, base_detection: f64, foreign_factor: f64) -> Vec<Raid> {
    let na = w.actors.len();
    // a force's weight in every reckoning: its persons times its actor's
    // capacity and, with `weigh_firepower`, a foreign force's fire factor (M5)
    let fire: Vec<f64> = (0..na)
        .map(|b| if p.weigh_firepower && w.actors[b].kind == Kind::Foreign { foreign_factor } else { 1.0 })
        .collect();
    let power: Vec<f64> = (0..na).map(|b| w.actors[b].capacity * fire[b]).collect();
    // groups: fighters by (actor, cell), in id order
    let mut groups: std::collections::BTreeMap<(u8, u32), Vec<u32>> = Default::default();
    for i in 0..w.agents() {
        if w.state[i] == FIGHTER {
            groups.entry((w.affil[i], w.cell[i])).or_default().push(i as u32);
        }
    }
    // where each actor has force: what it can mass, and what raiders can strike
    let camps: Vec<Vec<u32>> =
        (0..na).map(|b| (0..w.raster.len() as u32).filter(|&c| f[b][c as usize] > 0.0).collect()).collect();
    // what each actor can mass on each objective: its groups within reach, at power
    let mut massed = vec![vec![0.0; w.raster.len()]; na];
    for (b, mb) in massed.iter_mut().enumerate() {
        if !w.malian_active(b) && w.actors[b].kind != Kind::Foreign {
            continue;
        }
        let camps = &camps[b];
        if camps.is_empty() {
            continue;
        }
        // a foreign force without an offensive mandate counts only where it stands
        let static_foreign = w.actors[b].kind == Kind::Foreign && !w.actors[b].offensive;
        let reach_all = if static_foreign { 0.0 } else { p.reach_km };
        for &o in &w.dyn_.objectives {
            mb[o as usize] = camps
                .iter()
                .filter(|&&g| w.raster.distance(g, o) <= reach_all)
                .map(|&g| f[b][g as usize] * power[b])
                .sum();
        }
    }
    let mut void = Vec::new();
    if p.serve_pull {
        void = vec![0.0; w.raster.len()];
        let shares = super::m2_services::void_shares(w, &w.dyn_.objectives, &w.sc.mechanisms.m2_services);
        for (&o, v) in w.dyn_.objectives.iter().zip(shares) {
            void[o as usize] = v;
        }
    }
    let presence = if p.state_presence { aimed_presence(w, f) } else { Vec::new() };
    let r = Reckoning { f, massed, power, fire, void, presence };
    let mut raids: Vec<Raid> = Vec::new();
    let mut moves: Vec<(u32, u32)> = Vec::new();
    for ((a8, from), members) in groups {
        let a = a8 as usize;
        if !w.malian_active(a) {
            continue;
        }
        let group: f64 = members.iter().map(|&i| w.weight[i as usize]).sum();
        let (target, leaving) = decide(w, &r, a, from, group, p);
        if target == from {
            let raider = w.actors[a].doctrine == Doctrine::Irregular && w.actors[a].kind.armed_group();
            if raider
                && !leaving
                && p.raid_per_week > 0.0
                && Rng::new(w.seed, w.step, STREAM + 1, (a as u64) << 32 | from as u64).chance(p.raid_per_week)
            {
                if let Some(t) = raid_target(w, &camps, a, from, p) {
                    raids.push((a, from, t));
                }
            }
            continue;
        }
        // which fighters stay: a random choice keyed on the group; half of them
        // in whole detachments, rounded at random (unbiased at any people per agent)
        let mut r = Rng::new(w.seed, w.step, STREAM, (a as u64) << 32 | from as u64);
        let keep = if garrisons(w, a, from, leaving) {
            garrison_agents(members.len(), w.sc.people_per_agent, p.detachment_persons, &mut r)
        } else {
            0
        };
        let mut order = members.clone();
        r.shuffle(&mut order);
        for &i in &order[keep..] {
            moves.push((i, target));
        }
    }
    // foreign forces with an offensive mandate decide by the same rule; their
    // forces are persons per cell (no agents), so a garrison is half the persons
    let mut foreign_moves: Vec<(usize, u32, u32, f64)> = Vec::new();
    for a in 0..na {
        if w.actors[a].kind != Kind::Foreign || !w.actors[a].offensive {
            continue;
        }
        for from in 0..w.raster.len() as u32 {
            let x = w.foreign[a][from as usize];
            if x <= 0.0 {
                continue;
            }
            let (mut target, leaving) = decide(w, &r, a, from, x, p);
            // towns held by its enemies first (decide's attack), then the hunt
            let attacking = target != from && w.hostile(a, w.controller[target as usize] as usize);
            if w.actors[a].hunts && !leaving && !attacking {
                target = hunt_target(w, &r, &camps, a, from, x, p, base_detection).unwrap_or(target);
            }
            if target == from {
                continue;
            }
            let keep = if garrisons(w, a, from, leaving) { 0.5 } else { 0.0 };
            foreign_moves.push((a, from, target, x * (1.0 - keep)));
        }
    }
    for (a, from, to, x) in foreign_moves {
        w.foreign[a][from as usize] -= x;
        w.foreign[a][to as usize] += x;
    }
    for (i, t) in moves {
        w.cell[i as usize] = t;
    }
    raids
}

#[cfg(test)]
mod tests {
    use super::{garrison_agents, holding_score};
    use sahel_engine::Rng;

    /// Mean persons kept over `reps` keyed draws.
    fn mean_kept(n: usize, ppa: f64, d: f64, reps: u64) -> f64 {
        let total: usize = (0..reps).map(|k| garrison_agents(n, ppa, d, &mut Rng::new(7, k, 1, n as u64))).sum();
        total as f64 * ppa / reps as f64
    }

    #[test]
    fn a_garrison_is_half_the_agents_when_a_detachment_is_one_agent() {
        // the rule before detachments: half, an odd one out at random
        for n in 1..40usize {
            for k in 0..50u64 {
                let mut r = Rng::new(3, k, 2, n as u64);
                let old = n / 2 + (n % 2 == 1 && r.chance(0.5)) as usize;
                for d in [0.0, 50.0, 100.0] {
                    let mut r = Rng::new(3, k, 2, n as u64);
                    assert_eq!(garrison_agents(n, 100.0, d, &mut r), old, "n {n} d {d}");
                }
            }
        }
    }

    #[test]
    fn a_garrison_comes_in_whole_detachments_and_is_half_on_average() {
        // 25 persons an agent, detachments of 100: multiples of 4 agents, or the whole group
        for n in 1..30usize {
            for k in 0..200u64 {
                let kept = garrison_agents(n, 25.0, 100.0, &mut Rng::new(5, k, 1, n as u64));
                assert!(kept <= n);
                assert!(kept % 4 == 0 || kept == n, "n {n}: kept {kept}");
                if n < 4 {
                    assert!(kept == 0 || kept == n, "a group below a detachment does not split");
                }
            }
            // half the persons on average (20,000 draws: sd of the mean <= 0.5 * 25 * 30 / 141 = 2.7 persons)
            let mean = mean_kept(n, 25.0, 100.0, 20_000);
            let half = n as f64 * 25.0 / 2.0;
            assert!((mean - half).abs() < 4.0 * 2.7, "n {n}: {mean} vs {half}");
        }
    }

    #[test]
    fn a_force_splits_alike_at_either_scale() {
        // 400 persons: 4 agents of 100 or 16 of 25 keep 200 persons exactly
        assert_eq!(garrison_agents(4, 100.0, 100.0, &mut Rng::new(1, 1, 1, 1)) as f64 * 100.0, 200.0);
        assert_eq!(garrison_agents(16, 25.0, 100.0, &mut Rng::new(1, 1, 1, 1)) as f64 * 25.0, 200.0);
        // 100 persons: the one agent of 100 and the 4 of 25 stay whole or go whole
        for k in 0..100u64 {
            let kept = garrison_agents(4, 25.0, 100.0, &mut Rng::new(1, k, 1, 1));
            assert!(kept == 0 || kept == 4);
        }
    }

    #[test]
    fn holding_rises_with_the_threat_and_the_cap_keeps_it_at_an_assault() {
        assert_eq!(holding_score(0.0, 100.0, false), 0.3);
        assert_eq!(holding_score(0.0, 100.0, true), 0.3);
        assert!(holding_score(50.0, 100.0, false) > holding_score(10.0, 100.0, false));
        assert!(holding_score(50.0, 100.0, true) > holding_score(10.0, 100.0, true));
        assert!((holding_score(500.0, 100.0, false) - 1.3).abs() < 1e-12);
        assert!((holding_score(500.0, 100.0, true) - 1.0).abs() < 1e-12, "an assault scores 1");
    }
}
