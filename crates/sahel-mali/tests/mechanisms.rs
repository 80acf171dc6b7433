//! Mechanism anchors that need a world: each drives the production module on a
//! small Mali world configured down to the anchor's setting.

use sahel_mali::calendar::Date;
use sahel_mali::mechanisms::*;
use sahel_mali::scenario::{Scenario, Stance};
use sahel_mali::step::Scratch;
use sahel_mali::world::*;

fn world() -> World {
    world_with(|_| {})
}

/// The test world, with the scenario changed by `edit` first.
fn world_with(edit: impl FnOnce(&mut Scenario)) -> World {
    let mut sc: Scenario = toml::from_str(sahel_mali::scenario::BUILTIN[0].1).unwrap();
    sc.people_per_agent = 400.0;
    sc.geography.cell_deg = 0.25;
    edit(&mut sc);
    World::new(sc, 5).unwrap()
}

fn cell_of(w: &World, region: &str) -> u32 {
    w.capital[w.raster.region_index(region).unwrap()]
}

/// Put `n` fighter agents of actor `a` in `cell` (taking quiet civilians).
fn station(w: &mut World, a: usize, cell: u32, n: usize) {
    let mut k = 0;
    for i in 0..w.agents() {
        if k == n {
            break;
        }
        if w.state[i] == QUIET {
            w.state[i] = FIGHTER;
            w.affil[i] = a as u8;
            w.cell[i] = cell;
            k += 1;
        }
    }
}

/// Fighter agents of actor `a`, anywhere.
fn fighters(w: &World, a: usize) -> usize {
    (0..w.agents()).filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == a).count()
}

/// Fighter agents of actor `a` in `cell`.
fn fighters_at(w: &World, a: usize, cell: u32) -> usize {
    (0..w.agents()).filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == a && w.cell[i] == cell).count()
}

/// One M3 step with nobody joining or hired: only desertion and switching, at
/// the given rates (paid and unpaid actors).
fn desertion_step(w: &mut World, desert: f64, desert_unpaid: f64) {
    let mut p = w.sc.mechanisms.m3_recruitment.clone();
    p.join_per_week = 0.0;
    p.state_hiring_per_week = 0.0;
    p.desert_per_week = desert;
    p.desert_unpaid_per_week = desert_unpaid;
    let money = w.sc.mechanisms.m6_money.clone();
    let f = sahel_mali::step::forces(w);
    m3_recruitment::apply(w, &f, &p, &money);
}

/// M3's parameters with every active joining this week and nobody deserting
/// or hired by the state: only joining, within each actor's capacity.
fn certain_joining(w: &World) -> params::M3 {
    let mut p = w.sc.mechanisms.m3_recruitment.clone();
    p.join_per_week = 1.0;
    // fighters keep their allegiance: only joining is measured (`realign`,
    // on in mali-2012, has its own tests)
    p.realign = false;
    p.desert_per_week = 0.0;
    p.desert_unpaid_per_week = 0.0;
    p.state_hiring_per_week = 0.0;
    p
}

/// Every fighter agent stands for `persons` persons.
fn weigh_fighters(w: &mut World, persons: f64) {
    for i in 0..w.agents() {
        if w.state[i] == FIGHTER {
            w.weight[i] = persons;
        }
    }
}

/// The test world with no armed force anywhere: no fighters, no foreign troops.
fn disarmed() -> World {
    let mut w = world();
    clear_fighters(&mut w);
    w.foreign.iter_mut().for_each(|f| f.iter_mut().for_each(|x| *x = 0.0));
    w
}

/// Persons under arms of actor `a` in `cell` (fighters' weights).
fn persons_at(w: &World, a: usize, cell: u32) -> f64 {
    (0..w.agents())
        .filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == a && w.cell[i] == cell)
        .map(|i| w.weight[i])
        .sum()
}

/// Five MNLA and five Ansar Dine fighter agents at Kidal, whose people give
/// them the supports `mnla_support` and `ad_support`.
fn kidal_rivals(mnla_support: f32, ad_support: f32) -> (World, usize, usize) {
    let mut w = world();
    clear_fighters(&mut w);
    let kidal = cell_of(&w, "Kidal");
    let (mnla, ad) = (w.actor("MNLA"), w.actor("Ansar Dine"));
    station(&mut w, mnla, kidal, 5);
    station(&mut w, ad, kidal, 5);
    let (nc, na) = (w.communities.len(), w.actors.len());
    for k in 0..nc {
        w.support[(kidal as usize * nc + k) * na + ad] = ad_support;
        w.support[(kidal as usize * nc + k) * na + mnla] = mnla_support;
    }
    (w, mnla, ad)
}

fn clear_fighters(w: &mut World) {
    for i in 0..w.agents() {
        if w.state[i] == FIGHTER {
            w.state[i] = QUIET;
            w.affil[i] = NO_ACTOR;
        }
    }
}

/// M10: a weaker irregular force evades a stronger conventional one, and a
/// stronger one stays to fight.
#[test]
fn m10_a_weaker_irregular_force_evades() {
    let mut w = world();
    clear_fighters(&mut w);
    let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
    let gao = cell_of(&w, "Gao");
    station(&mut w, fama, gao, 10);
    station(&mut w, mnla, gao, 3);
    let p = w.sc.mechanisms.m10_strategy.clone();
    {
        let f = sahel_mali::step::forces(&w);
        m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
    }
    let left = fighters_at(&w, mnla, gao);
    assert_eq!(left, 0, "the weaker irregular force should have evaded");
    // three times stronger: no evasion
    let mut w = world();
    clear_fighters(&mut w);
    station(&mut w, fama, gao, 3);
    station(&mut w, mnla, gao, 10);
    {
        let f = sahel_mali::step::forces(&w);
        m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
    }
    let moved_out = fighters(&w, mnla) - fighters_at(&w, mnla, gao);
    assert!(moved_out < 10, "a stronger irregular force does not flee");
}

/// M4: control follows force. A hostile force above `takeover_ratio` times the
/// holder's side takes the cell; below it the holder keeps it; unarmed land
/// around follows the nearest armed presence within reach.
#[test]
fn m4_control_follows_force() {
    for (attackers, defenders, taken) in [(10usize, 5usize, true), (6, 5, false)] {
        let mut w = disarmed();
        let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
        let kidal = cell_of(&w, "Kidal");
        station(&mut w, fama, kidal, defenders);
        station(&mut w, mnla, kidal, attackers);
        let mut s = Scratch::new(&w);
        let mut p = w.sc.mechanisms.m4_control.clone();
        p.selective_per_week = 0.0;
        m4_control::apply(&mut w, &mut s, &p);
        assert_eq!(w.controller[kidal as usize] as usize == mnla, taken, "{attackers} against {defenders}");
        if taken {
            let nb = w.raster.neighbours(kidal)[0];
            assert_eq!(w.controller[nb as usize] as usize, mnla, "the land around follows");
        }
    }
}

/// M4 → M8: a hostile takeover is remembered as an upheaval, and people flee
/// it in proportion to their distrust of the newcomer — with support 0 for the
/// newcomer and `takeover_flee_per_week = 1` everyone at home there leaves; with
/// support 1 nobody does; without a death or a takeover nobody moves.
#[test]
fn m8_people_flee_a_hostile_takeover_they_distrust() {
    for (support, flee_all) in [(0.0f32, true), (1.0, false)] {
        let mut w = disarmed();
        let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
        let kidal = cell_of(&w, "Kidal");
        assert_eq!(w.controller[kidal as usize] as usize, fama);
        assert_eq!(w.stance[fama][mnla], Stance::Hostile);
        station(&mut w, mnla, kidal, 10);
        let (nc, na) = (w.communities.len(), w.actors.len());
        for k in 0..nc {
            w.support[(kidal as usize * nc + k) * na + mnla] = support;
        }
        w.cell_people = sahel_mali::step::residents(&w);
        let mut s = Scratch::new(&w);
        let mut p4 = w.sc.mechanisms.m4_control.clone();
        p4.selective_per_week = 0.0;
        m4_control::apply(&mut w, &mut s, &p4);
        assert_eq!(w.controller[kidal as usize] as usize, mnla);
        assert!(w.dyn_.upheaval[kidal as usize] >= 1.0, "the takeover is remembered");
        let home: Vec<usize> =
            (0..w.agents()).filter(|&i| w.home[i] == kidal && w.cell[i] == kidal && w.state[i] == QUIET).collect();
        assert!(!home.is_empty());
        let mut p8 = w.sc.mechanisms.m8_displacement.clone();
        p8.flee_per_week = 0.0;
        p8.takeover_flee_per_week = 1.0;
        let s = Scratch::new(&w);
        m8_displacement::apply(&mut w, &s, &p8);
        let left = home.iter().filter(|&&i| w.state[i] != QUIET).count();
        if flee_all {
            assert_eq!(left, home.len(), "everyone distrustful flees");
        } else {
            assert_eq!(left, 0, "nobody flees a newcomer they trust");
        }
        assert!(w.dyn_.upheaval[kidal as usize] < 1.0, "the memory decays");
    }
}

/// M4: an upheaval's size is the armed persons who took the cell over
/// `upheaval_persons`, at most 1, whatever the number of agents they are split
/// into: 400 persons as one agent or as four of 100 make the same upheaval,
/// 200 half of it, and 4,000 no more than 1,000.
#[test]
fn m4_an_upheaval_grows_with_the_force_that_takes_the_cell() {
    let upheaval = |agents: usize, each: f64| -> f64 {
        let mut w = disarmed();
        let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
        let kidal = cell_of(&w, "Kidal");
        assert_eq!(w.controller[kidal as usize] as usize, fama);
        station(&mut w, mnla, kidal, agents);
        for i in 0..w.agents() {
            if w.state[i] == FIGHTER {
                w.weight[i] = each;
            }
        }
        let mut s = Scratch::new(&w);
        let mut p = w.sc.mechanisms.m4_control.clone();
        p.selective_per_week = 0.0;
        p.upheaval_persons = 1000.0;
        m4_control::apply(&mut w, &mut s, &p);
        assert_eq!(w.controller[kidal as usize] as usize, mnla);
        w.dyn_.upheaval[kidal as usize]
    };
    assert_eq!(upheaval(1, 400.0), 0.4);
    assert_eq!(upheaval(4, 100.0), 0.4);
    assert_eq!(upheaval(2, 100.0), 0.2);
    assert_eq!(upheaval(10, 400.0), 1.0);
}

/// Make `n` quiet civilians of community `name` in `cell` active; returns how many were.
fn make_active(w: &mut World, cell: u32, name: &str, n: usize) -> usize {
    let k = w.communities.iter().position(|c| c == name).unwrap() as u8;
    let mut made = 0;
    for i in 0..w.agents() {
        if made < n && w.cell[i] == cell && w.comm[i] == k && w.state[i] == QUIET {
            w.state[i] = ACTIVE;
            made += 1;
        }
    }
    made
}

/// M11 reduces to Epstein's Model II kill rule: with `kill_per_week = 1`, each
/// active of one community kills one member of the rival community in its cell;
/// with no actives nobody is killed.
#[test]
fn m11_reduces_to_model_ii_killing() {
    let mut w = world();
    clear_fighters(&mut w);
    let mopti = cell_of(&w, "Mopti");
    let dogon = w.communities.iter().position(|c| c == "Dogon").unwrap() as u8;
    let in_cell = |w: &World, k: u8| {
        (0..w.agents())
            .filter(|&i| w.cell[i] == mopti && w.comm[i] == k && matches!(w.state[i], QUIET | ACTIVE))
            .count()
    };
    let mut p = w.sc.mechanisms.m11_communal.clone();
    p.kill_per_week = 1.0;
    p.arms_persons = 0.0; // Model II: every active kills, armed or not
    let dogon_before = in_cell(&w, dogon);
    let mut s = Scratch::new(&w);
    m11_communal::apply(&mut w, &mut s, &p);
    assert_eq!(in_cell(&w, dogon), dogon_before, "no actives, no killing");
    assert_eq!(make_active(&mut w, mopti, "Peul", 3), 3);
    assert!(dogon_before >= 3);
    let mut s = Scratch::new(&w);
    m11_communal::apply(&mut w, &mut s, &p);
    let bambara = w.communities.iter().position(|c| c == "Bambara").unwrap() as u8;
    let victims = (dogon_before - in_cell(&w, dogon)) as f64;
    assert_eq!(s.tallies.deaths_civilian.iter().sum::<f64>(), 3.0 * w.ppa, "one victim per active");
    assert!(victims >= 1.0 || in_cell(&w, bambara) > 0, "victims are Dogon or Bambara, the Peul's rivals");
}

/// M11 with arming on: an active kills at `kill_per_week × P/(P + arms_persons)`,
/// P the fighters within reach of the armed groups rooted in its community.
/// Nobody near (or only a group rooted elsewhere, or one beyond reach): no
/// killing; MUJAO (rooted among the Peul, among others) with as many fighters
/// in the cell as `arms_persons`: half of Model II's killing.
#[test]
fn m11_communal_killing_is_armed() {
    // a fresh world with three active Peul in Mopti's capital
    let setup = || {
        let mut w = world();
        clear_fighters(&mut w);
        let mopti = cell_of(&w, "Mopti");
        assert_eq!(make_active(&mut w, mopti, "Peul", 3), 3);
        w
    };
    let w = setup();
    let mopti = cell_of(&w, "Mopti");
    let peul = w.communities.iter().position(|c| c == "Peul").unwrap();
    let mut p = w.sc.mechanisms.m11_communal.clone();
    p.kill_per_week = 1.0;
    p.arms_persons = 1000.0;
    p.reach_km = 60.0;
    p.armed_by.clear(); // every group rooted in the community arms it
    let (mujao, mnla) = (w.actor("MUJAO"), w.actor("MNLA"));
    assert!(w.actors[mujao].home[peul] && !w.actors[mnla].home[peul]);
    let killed_by = |p: &params::M11, merged: Option<(usize, usize)>, at: &[(usize, u32, f64)]| -> f64 {
        let mut w = setup();
        if let Some((from, into)) = merged {
            w.actors[from].merged_into = Some(into);
        }
        let mut s = Scratch::new(&w);
        for row in s.force.iter_mut() {
            row.iter_mut().for_each(|x| *x = 0.0);
        }
        for &(a, c, x) in at {
            s.force[a][c as usize] = x;
        }
        m11_communal::apply(&mut w, &mut s, p);
        s.tallies.deaths_civilian.iter().sum::<f64>()
    };
    let killed = |at: &[(usize, u32, f64)]| killed_by(&p, None, at);
    let actives = 3.0 * w.ppa;
    assert_eq!(killed(&[]), 0.0, "unarmed: no killing");
    assert_eq!(killed(&[(mnla, mopti, 1000.0)]), 0.0, "a group rooted in another community does not arm the Peul");
    let far = (0..w.raster.len() as u32).find(|&c| w.raster.distance(mopti, c) > 200.0).unwrap();
    assert_eq!(killed(&[(mujao, far, 1000.0)]), 0.0, "a group beyond reach does not arm them");
    let half = killed(&[(mujao, mopti, 1000.0)]);
    assert!((half - 0.5 * actives).abs() < 1e-9, "{half} vs {}", 0.5 * actives);
    let most = killed(&[(mujao, mopti, 3000.0)]);
    assert!((most - 0.75 * actives).abs() < 1e-9, "{most} vs {}", 0.75 * actives);
    // armed_by: only the listed actors arm, and the actors they merge into
    let listed = |names: &[&str]| {
        let mut q = p.clone();
        q.armed_by = names.iter().map(|n| n.to_string()).collect();
        q
    };
    let at = [(mujao, mopti, 1000.0)];
    assert!((killed_by(&listed(&["MUJAO"]), None, &at) - 0.5 * actives).abs() < 1e-9, "listed: arms");
    assert_eq!(killed_by(&listed(&["Ansar Dine"]), None, &at), 0.0, "a group not listed does not arm");
    let aqim = w.actor("AQIM");
    let merged = killed_by(&listed(&["AQIM"]), Some((aqim, mujao)), &at);
    assert!((merged - 0.5 * actives).abs() < 1e-9, "the successor of a listed actor arms: {merged}");
}

/// M6: elites capture their share of aid; an actor that cannot pay its fighters
/// is marked unpaid (M3 then makes them desert faster).
#[test]
fn m6_capture_and_pay() {
    let mut w = world();
    let fama = w.actor("FAMa");
    w.dyn_.flows.push(Flow {
        actor: fama,
        usd: 1_000_000.0,
        per_year: false,
        until: Date::parse("2017-12-31").unwrap(),
        aid: true,
        paid_once: false,
    });
    let mut p = w.sc.mechanisms.m6_money.clone();
    p.elite_capture = 0.25;
    m6_money::apply(&mut w, &p);
    assert_eq!(w.dyn_.captured_step, 250_000.0);
    let mnla = w.actor("MNLA");
    assert_eq!(w.actors[mnla].money, 0.0);
    assert_eq!(w.dyn_.unpaid[mnla], 1.0, "the MNLA starts with no money and 3,000 fighters");
    assert!(w.actors.iter().all(|a| a.money >= 0.0));
}

/// M3: with certain joining, active civilians join an actor present near them
/// (with `trust_gate`, only one their community trusts more than the state),
/// within its capacity to absorb; home ties weigh in the choice.
#[test]
fn m3_actives_join_a_group_they_trust_more_than_the_state_within_capacity() {
    let mut w = world();
    let kidal = cell_of(&w, "Kidal");
    let ad = w.actor("Ansar Dine");
    station(&mut w, ad, kidal, 2);
    let tuareg = w.communities.iter().position(|c| c == "Tuareg").unwrap() as u8;
    let mut n_active = 0;
    for i in 0..w.agents() {
        if w.cell[i] == kidal && w.comm[i] == tuareg && w.state[i] == QUIET {
            w.state[i] = ACTIVE;
            n_active += 1;
        }
    }
    assert!(n_active > 5);
    let before: Vec<u8> = w.affil.clone();
    let mut p = certain_joining(&w);
    // room for all: nobody is turned away (capacity: the tests below)
    p.absorb_base = 1e9;
    for a in 0..w.actors.len() {
        w.actors[a].money = 1e12;
    }
    let money = w.sc.mechanisms.m6_money.clone();
    // with the trust gate, nobody takes up arms against a state its community
    // trusts as much as the groups (0.4 each at the start)
    let (nc, na, state) = (w.communities.len(), w.actors.len(), w.state_actor());
    let legitimacy = (kidal as usize * nc + tuareg as usize) * na + state;
    assert_eq!(w.support[legitimacy], w.support[(kidal as usize * nc + tuareg as usize) * na + ad]);
    assert!(p.trust_gate, "mali-2012 has the gate on (the eighteenth calibration)");
    {
        let f = sahel_mali::step::forces(&w);
        m3_recruitment::apply(&mut w, &f, &p, &money);
    }
    assert_eq!(w.affil, before, "nobody joins a group trusted no more than the state");
    // once the state is trusted less, they join (as they do without the gate)
    w.support[legitimacy] = 0.2;
    {
        let f = sahel_mali::step::forces(&w);
        m3_recruitment::apply(&mut w, &f, &p, &money);
    }
    let joined: Vec<usize> = (0..w.agents()).filter(|&i| before[i] == NO_ACTOR && w.affil[i] != NO_ACTOR).collect();
    assert_eq!(joined.len(), n_active, "with certain joining and room for all, every active joins");
    assert!(joined.iter().all(|&i| w.state[i] == FIGHTER));
    assert!(joined.iter().any(|&i| w.affil[i] as usize == ad));
    assert_eq!(w.stance[ad][w.actor("MNLA")], Stance::Allied);
}

/// Mean persons each of the actors `recruiters` takes from the actives of
/// `cell` over `reps` repetitions of one week of M3 (the same world and date,
/// the draws of another seed each time), and the standard error of that mean. Every quiet civilian in the
/// cell is made active first; everyone supports the recruiters (0.5) more than
/// the state (0.1) and no other actor (0: the trust gate bars them), and every
/// actor can pay.
fn mean_taken(w: &mut World, recruiters: &[usize], cell: u32, p: &params::M3, reps: u64) -> Vec<(f64, f64)> {
    for i in 0..w.agents() {
        if w.cell[i] == cell && w.state[i] == QUIET {
            w.state[i] = ACTIVE;
        }
    }
    let (na, state) = (w.actors.len(), w.state_actor());
    for k in 0..w.support.len() / na {
        for b in 0..na {
            w.support[k * na + b] = if b == state {
                0.1
            } else if recruiters.contains(&b) {
                0.5
            } else {
                0.0
            };
        }
    }
    for b in 0..na {
        w.actors[b].money = 1e12;
    }
    let (state0, affil0, cell0) = (w.state.clone(), w.affil.clone(), w.cell.clone());
    let money = w.sc.mechanisms.m6_money.clone();
    let f = sahel_mali::step::forces(w);
    let mut xs = vec![Vec::new(); recruiters.len()];
    for rep in 0..reps {
        w.seed = 1000 + rep;
        m3_recruitment::apply(w, &f, p, &money);
        for (x, &a) in xs.iter_mut().zip(recruiters) {
            let took: f64 = (0..w.agents())
                .filter(|&i| affil0[i] == NO_ACTOR && w.affil[i] as usize == a)
                .map(|i| w.weight[i])
                .sum();
            x.push(took);
        }
        w.state.clone_from(&state0);
        w.affil.clone_from(&affil0);
        w.cell.clone_from(&cell0);
    }
    xs.iter()
        .map(|x| {
            let n = x.len() as f64;
            let mean = x.iter().sum::<f64>() / n;
            let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
            (mean, (var / n).sqrt())
        })
        .collect()
}

/// M3 with `absorb_shared`: the actors that merge into one (by the scenario's
/// merge events, now or later) are one movement and share its base capacity;
/// without it each named actor has its own. With every active of Kidal
/// joining, demand far exceeds the room, so each actor takes its room in
/// expectation: 6 agents' worth alone, 2 when three actors in being share it.
/// Tolerance: four standard errors of the mean over 200 weeks (measured).
#[test]
fn m3_a_movement_shares_its_capacity_to_absorb() {
    let w = world();
    let m = w.movements();
    let (aqim, ad, mujao, jnim) = (w.actor("AQIM"), w.actor("Ansar Dine"), w.actor("MUJAO"), w.actor("JNIM"));
    assert_eq!((m[aqim], m[ad], m[mujao]), (jnim, jnim, jnim), "MUJAO through al-Mourabitoun");
    assert_eq!(m[w.actor("MNLA")], w.actor("CMA"));
    assert_eq!(m[w.actor("FAMa")], w.actor("FAMa"));
    let taken = |shared: bool| -> Vec<(f64, f64)> {
        let mut w = disarmed();
        let (aqim, ad) = (w.actor("AQIM"), w.actor("Ansar Dine"));
        let kidal = cell_of(&w, "Kidal");
        station(&mut w, ad, kidal, 2);
        station(&mut w, aqim, kidal, 2);
        let mut p = certain_joining(&w);
        p.absorb_per_week = 0.0;
        p.absorb_base = 6.0 * w.ppa;
        p.absorb_shared = shared;
        let out = mean_taken(&mut w, &[aqim, ad], kidal, &p, 200);
        let actives: f64 =
            (0..w.agents()).filter(|&i| w.cell[i] == kidal && w.state[i] == ACTIVE).map(|i| w.weight[i]).sum();
        assert!(actives >= 4.0 * 6.0 * w.ppa, "demand exceeds the room: {actives} persons active");
        out
    };
    let ppa = world().ppa;
    for (shared, room) in [(false, 6.0 * ppa), (true, 2.0 * ppa)] {
        for (mean, se) in taken(shared) {
            assert!(
                (mean - room).abs() < 4.0 * se + 1e-9,
                "shared {shared}: {mean} persons a week vs room {room} (se {se})"
            );
        }
    }
}

/// M3: the state hires `state_hiring_per_week` of its soldiers' persons a week
/// in expectation at any scale (agents rounded at random). Before session 29
/// it rounded a count of agents to the nearest: at 400 persons an agent the
/// army's 33 agents times 0.004 rounded to none, at 100 its 132 to one agent
/// (twice the rate). Tolerance: four standard errors over 400 repetitions.
#[test]
fn m3_the_state_hires_at_its_rate_at_any_scale() {
    for ppa in [400.0, 100.0] {
        let mut sc: Scenario = toml::from_str(sahel_mali::scenario::BUILTIN[0].1).unwrap();
        sc.people_per_agent = ppa;
        sc.geography.cell_deg = 0.25;
        let mut w = World::new(sc, 5).unwrap();
        let state = w.state_actor();
        w.actors[state].money = 1e12;
        let soldiers: f64 = (0..w.agents())
            .filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == state)
            .map(|i| w.weight[i])
            .sum();
        let mut p = w.sc.mechanisms.m3_recruitment.clone();
        p.join_per_week = 0.0;
        p.desert_per_week = 0.0;
        p.desert_unpaid_per_week = 0.0;
        let money = w.sc.mechanisms.m6_money.clone();
        let f = sahel_mali::step::forces(&w);
        let (state0, affil0, cell0) = (w.state.clone(), w.affil.clone(), w.cell.clone());
        let mut xs = Vec::new();
        for rep in 0..400 {
            w.seed = 1000 + rep;
            m3_recruitment::apply(&mut w, &f, &p, &money);
            xs.push(
                (0..w.agents())
                    .filter(|&i| affil0[i] == NO_ACTOR && w.affil[i] as usize == state)
                    .map(|i| w.weight[i])
                    .sum::<f64>(),
            );
            w.state.clone_from(&state0);
            w.affil.clone_from(&affil0);
            w.cell.clone_from(&cell0);
        }
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let se = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt();
        let want = soldiers * p.state_hiring_per_week;
        assert!(want > 10.0, "{soldiers} soldiers");
        assert!(
            (mean - want).abs() <= 4.0 * se + 1e-9,
            "at {ppa} persons an agent: {mean} hired a week, want {want} (se {se})"
        );
    }
}

/// M3's room is in persons, not agents: where few actives seek to join (a
/// demand of 300 persons a week against a room of 200), an actor takes its
/// room in expectation at 400 and at 100 persons an agent alike. Before the
/// rationing (session 29) the room was whole agents filled first come: a week
/// whose room was an agent and whose joiners were none lost it, so the coarse
/// model recruited less (jihadists in 2012: AQIM took 212 persons at 100
/// persons an agent against 378 at 25); with that code this test fails (108
/// persons a week at 400 persons an agent). Tolerance: four standard errors
/// of each mean over 400 repetitions.
#[test]
fn m3_capacity_does_not_depend_on_people_per_agent() {
    for ppa in [400.0, 100.0] {
        let mut sc: Scenario = toml::from_str(sahel_mali::scenario::BUILTIN[0].1).unwrap();
        sc.people_per_agent = ppa;
        sc.geography.cell_deg = 0.25;
        let mut w = World::new(sc, 5).unwrap();
        clear_fighters(&mut w);
        let ad = w.actor("Ansar Dine");
        let kidal = cell_of(&w, "Kidal");
        station(&mut w, ad, kidal, (800.0 / ppa) as usize);
        let civilians: f64 = (0..w.agents())
            .filter(|&i| w.cell[i] == kidal && matches!(w.state[i], QUIET | ACTIVE))
            .map(|i| w.weight[i])
            .sum();
        let mut p = w.sc.mechanisms.m3_recruitment.clone();
        p.desert_per_week = 0.0;
        p.desert_unpaid_per_week = 0.0;
        p.state_hiring_per_week = 0.0;
        p.absorb_per_week = 0.0;
        p.absorb_shared = false;
        p.absorb_base = 200.0; // half an agent at 400 persons an agent, two at 100
                               // every civilian of the cell active, and Ansar Dine the only group
                               // trusted above the state: 300 persons a week seek to join it
        p.join_per_week = 300.0 / civilians;
        assert!(p.join_per_week < 1.0, "{civilians} persons in Kidal's cell");
        let (mean, se) = mean_taken(&mut w, &[ad], kidal, &p, 400)[0];
        assert!((mean - 200.0).abs() <= 4.0 * se + 1e-9, "at {ppa} persons an agent: {mean} persons a week (se {se})");
    }
}

/// Invariants over a whole run: every agent always in exactly one valid state,
/// agents never created or lost (deaths and departures are states), no
/// negative money or foreign force, fighters always affiliated.
#[test]
fn invariants_hold_over_a_run() {
    let mut w = world();
    let n = w.agents();
    for _ in 0..60 {
        w.advance();
        assert_eq!(w.agents(), n);
        for i in 0..n {
            assert!(w.state[i] <= DEAD);
            if w.state[i] != DEAD {
                assert_eq!(w.state[i] == FIGHTER, w.affil[i] != NO_ACTOR, "agent {i}");
            }
            assert!((w.cell[i] as usize) < w.raster.len());
        }
        assert!(w.actors.iter().all(|a| a.money >= 0.0 && a.money.is_finite()));
        assert!(w.foreign.iter().flatten().all(|&f| f >= 0.0));
        assert!(w.support.iter().all(|&s| (0.0..=1.0).contains(&s)));
    }
}

/// M9: with the endogenous rule on, two neutral armed groups facing a common,
/// stronger enemy ally; with it off, relations change only by events.
#[test]
fn m9_the_enemy_of_my_enemy() {
    let mut w = world();
    let (cma, mujao, fama) = (w.actor("CMA"), w.actor("MUJAO"), w.actor("FAMa"));
    // make both hostile to the state and neutral to each other, and the state the strongest
    for (a, b, s) in [(cma, fama, Stance::Hostile), (mujao, fama, Stance::Hostile), (cma, mujao, Stance::Neutral)] {
        w.stance[a][b] = s;
        w.stance[b][a] = s;
    }
    w.actors[cma].emerges = w.sc.start;
    w.refresh_hostility();
    let f = sahel_mali::step::forces(&w);
    let mut p = w.sc.mechanisms.m9_alliances.clone();
    p.endogenous = false;
    m9_alliances::apply(&mut w, &f, &p);
    assert_eq!(w.stance[cma][mujao], Stance::Neutral);
    p.endogenous = true;
    m9_alliances::apply(&mut w, &f, &p);
    assert_eq!(w.stance[cma][mujao], Stance::Allied);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]
        /// Whatever the seed and a few key parameters: every agent is in exactly
        /// one state; people change state only by the mechanisms, so the agents
        /// who died are exactly the recorded deaths of Malians (foreign forces'
        /// losses are recorded apart); every death has one cause (the causes sum
        /// to the deaths) and the armed who died are among them; nobody is
        /// created; money and forces stay non-negative; relationships stay in [0, 1].
        #[test]
        fn persons_are_conserved(seed in 0u64..1000, join in 0.0f64..0.3, flee in 0.0f64..0.5, capture in 0.0f64..1.0) {
            let mut sc: Scenario = toml::from_str(sahel_mali::scenario::BUILTIN[0].1).unwrap();
            sc.people_per_agent = 800.0;
            sc.geography.cell_deg = 0.5;
            sc.mechanisms.m3_recruitment.join_per_week = join;
            sc.mechanisms.m8_displacement.flee_per_week = flee;
            sc.mechanisms.m6_money.elite_capture = capture;
            let mut w = World::new(sc, seed).unwrap();
            let n = w.agents();
            let initial: f64 = w.weight.iter().sum();
            let mut recorded = 0.0;
            for _ in 0..40 {
                let t = w.advance();
                let deaths = t.deaths.iter().sum::<f64>();
                recorded += deaths - t.deaths_foreign;
                // every death has one cause, and the armed who died are among the dead
                let by_cause: f64 = t.deaths_by_cause.iter().sum();
                prop_assert!((by_cause - deaths).abs() <= 1e-9 * deaths.max(1.0), "{} by cause, {} in all", by_cause, deaths);
                let lost: f64 = t.losses.iter().sum();
                prop_assert!(t.losses.iter().all(|&l| l >= 0.0) && lost <= deaths + 1e-9 * deaths.max(1.0));
                prop_assert_eq!(w.agents(), n);
                // persons conserved: the living agents' weight plus every death recorded
                let living: f64 = (0..n).filter(|&i| w.state[i] != DEAD).map(|i| w.weight[i]).sum();
                prop_assert!((initial - living - recorded).abs() < 1e-6 * initial, "{} - {} != {}", initial, living, recorded);
                prop_assert!((0..n).all(|i| (w.state[i] == DEAD) == (w.weight[i] == 0.0)));
                prop_assert!(w.weight.iter().all(|&x| (0.0..=w.ppa).contains(&x)));
                prop_assert!(w.state.iter().all(|&s| s <= DEAD));
                prop_assert!(w.actors.iter().all(|a| a.money >= 0.0));
                prop_assert!(w.foreign.iter().flatten().all(|&f| f >= 0.0));
                prop_assert!(w.support.iter().all(|&s| (0.0..=1.0).contains(&s)));
            }
        }
    }
}

/// M3: a fighter who leaves switches to a better-supported actor present in its
/// cell, and otherwise goes home.
#[test]
fn m3_leaving_fighters_switch_to_a_better_liked_actor() {
    let (mut w, mnla, ad) = kidal_rivals(0.1, 0.9);
    desertion_step(&mut w, 1.0, 1.0);
    assert_eq!(fighters(&w, mnla), 0);
    assert_eq!(
        fighters(&w, ad),
        5,
        "Ansar Dine's own fighters leave and find no better-liked actor; the MNLA's join Ansar Dine"
    );
}

/// Kidal's MNLA and Ansar Dine (five fighters each, their community trusting
/// Ansar Dine far more: 0.9 against 0.1), both hostile to the state, which the
/// community there trusts at `state_support`; nobody active, so that in an M3
/// week only the fighters weigh their allegiance.
fn rivals_facing_the_state(state_support: f32) -> (World, usize, usize, usize) {
    let (mut w, mnla, ad) = kidal_rivals(0.1, 0.9);
    let fama = w.actor("FAMa");
    for x in [mnla, ad] {
        (w.stance[x][fama], w.stance[fama][x]) = (Stance::Hostile, Stance::Hostile);
    }
    w.refresh_hostility();
    let kidal = cell_of(&w, "Kidal") as usize;
    let (nc, na) = (w.communities.len(), w.actors.len());
    for k in 0..nc {
        w.support[(kidal * nc + k) * na + fama] = state_support;
    }
    for i in 0..w.agents() {
        if w.state[i] == ACTIVE {
            w.state[i] = QUIET;
        }
    }
    (w, mnla, ad, fama)
}

/// One M3 week in which every fighter weighs its allegiance (joining at 1, no
/// desertion, no hiring), with `edit` setting the switches under test.
fn weigh_allegiance(w: &mut World, edit: impl FnOnce(&mut params::M3)) {
    let mut p = w.sc.mechanisms.m3_recruitment.clone();
    (p.join_per_week, p.desert_per_week, p.desert_unpaid_per_week, p.state_hiring_per_week) = (1.0, 0.0, 0.0, 0.0);
    edit(&mut p);
    let money = w.sc.mechanisms.m6_money.clone();
    let f = sahel_mali::step::forces(w);
    m3_recruitment::apply(w, &f, &p, &money);
}

/// M3 with `realign`: a fighter who stays weighs its allegiance at the joining
/// rate, by the rule it joined by. At `join_per_week` 1 and no desertion:
/// without `realign` nobody moves; with it the MNLA's fighters, whose Kidal
/// community now trusts Ansar Dine far more, go over to it, and Ansar Dine's
/// stay. With the state trusted above both (the trust gate), nobody may fight
/// it: Ansar Dine is no target, and both groups' fighters go home; without the
/// gate the MNLA's still go over to Ansar Dine.
#[test]
fn m3_fighters_who_stay_realign_with_the_group_their_community_trusts() {
    for (realign, gate, state_support, mnla_left, ad_left) in
        [(false, true, 0.05, 5, 5), (true, true, 0.05, 0, 10), (true, true, 0.95, 0, 0), (true, false, 0.95, 0, 10)]
    {
        let (mut w, mnla, ad, _) = rivals_facing_the_state(state_support);
        weigh_allegiance(&mut w, |p| (p.realign, p.trust_gate) = (realign, gate));
        let case = format!("realign {realign}, trust gate {gate}, the state trusted at {state_support}");
        assert_eq!(fighters(&w, mnla), mnla_left, "MNLA ({case})");
        assert_eq!(fighters(&w, ad), ad_left, "Ansar Dine ({case})");
    }
}

/// M3 with `realign` and `front_holds`: a coalition holds while the common
/// enemy is at hand. The MNLA's Kidal community trusts Ansar Dine far more
/// (as in the test above); with the army in Kidal, nobody weighs its
/// allegiance and the MNLA keeps its five; with the army in Bamako, out of
/// reach, its five go over to Ansar Dine; without `front_holds` they go over
/// either way.
#[test]
fn m3_a_coalition_holds_while_the_common_enemy_is_at_hand() {
    for (front_holds, army_in_kidal, mnla_left, ad_left) in
        [(true, true, 5, 5), (true, false, 0, 10), (false, true, 0, 10), (false, false, 0, 10)]
    {
        let (mut w, mnla, ad, fama) = rivals_facing_the_state(0.05);
        let post = cell_of(&w, if army_in_kidal { "Kidal" } else { "Bamako" });
        station(&mut w, fama, post, 5);
        weigh_allegiance(&mut w, |p| (p.realign, p.trust_gate, p.front_holds) = (true, true, front_holds));
        let case = format!("front_holds {front_holds}, the army in Kidal {army_in_kidal}");
        assert_eq!(fighters(&w, mnla), mnla_left, "MNLA ({case})");
        assert_eq!(fighters(&w, ad), ad_left, "Ansar Dine ({case})");
        assert_eq!(fighters(&w, fama), 5, "the army keeps its soldiers ({case})");
    }
}

/// M3: a fighter leaving an actor that did not pay goes over to a paying actor
/// present that its community likes nearly as well (fighters follow pay); when
/// nobody present pays, it goes home.
#[test]
fn m3_unpaid_fighters_follow_pay() {
    for ad_pays in [true, false] {
        // Ansar Dine a little less liked than the MNLA, within the switch margin
        let (mut w, mnla, ad) = kidal_rivals(0.4, 0.35);
        w.dyn_.unpaid[mnla] = 1.0;
        w.dyn_.unpaid[ad] = if ad_pays { 0.0 } else { 1.0 };
        w.actors[ad].money = if ad_pays { 1e9 } else { 0.0 };
        desertion_step(&mut w, 0.0, 1.0);
        assert_eq!(fighters(&w, mnla), 0, "every unpaid MNLA fighter leaves");
        if ad_pays {
            assert_eq!(fighters(&w, ad), 10, "the MNLA's unpaid fighters go over to the paying Ansar Dine");
        } else {
            assert_eq!(fighters(&w, ad), 0, "nobody pays: everyone goes home");
        }
    }
}

/// M4 → M3: cohesion breaks with defeat. M4 records each actor's towns lost
/// to enemies this week, net of those it took, as a share of those it held; M3
/// adds `defeat_desertion` times that share to a non-state group's desertion.
/// With the extra rate at 1 every fighter of the beaten group leaves (home: no
/// better-liked actor is present), the winner's stay, and the state army, which
/// lost Kidal too, keeps its soldiers; at 0 nobody leaves.
#[test]
fn m3_cohesion_breaks_with_defeat() {
    for strength in [0.0, 1e6] {
        let mut w = disarmed();
        let (fama, mnla, ad) = (w.actor("FAMa"), w.actor("MNLA"), w.actor("Ansar Dine"));
        let (kidal, bamako) = (cell_of(&w, "Kidal"), cell_of(&w, "Bamako"));
        let (nc, na) = (w.communities.len(), w.actors.len());
        for k in 0..nc {
            w.support[(kidal as usize * nc + k) * na + mnla] = 0.5;
            w.support[(kidal as usize * nc + k) * na + ad] = 0.5;
        }
        let mut p3 = w.sc.mechanisms.m3_recruitment.clone();
        (p3.join_per_week, p3.state_hiring_per_week, p3.desert_per_week, p3.desert_unpaid_per_week) =
            (0.0, 0.0, 0.0, 0.0);
        p3.defeat_desertion = strength;
        let money = w.sc.mechanisms.m6_money.clone();
        let mut p4 = w.sc.mechanisms.m4_control.clone();
        p4.selective_per_week = 0.0;
        let week = |w: &mut World| {
            let mut s = Scratch::new(w);
            m4_control::apply(w, &mut s, &p4);
            let f = sahel_mali::step::forces(w);
            m3_recruitment::apply(w, &f, &p3, &money);
        };
        // the MNLA takes Kidal from the state
        station(&mut w, fama, bamako, 5);
        station(&mut w, mnla, kidal, 10);
        week(&mut w);
        assert_eq!(w.controller[kidal as usize] as usize, mnla);
        assert!(w.dyn_.defeat[fama] > 0.0 && w.dyn_.defeat[fama] < 1.0, "the state lost some of its towns");
        assert_eq!(w.dyn_.defeat[mnla], 0.0, "the winner lost none");
        assert_eq!(fighters(&w, fama), 5, "a state army does not break with defeat");
        assert_eq!(fighters(&w, mnla), 10, "nor does the winner");
        // Ansar Dine turns on the MNLA and drives it out of Kidal
        (w.stance[mnla][ad], w.stance[ad][mnla]) = (Stance::Hostile, Stance::Hostile);
        w.refresh_hostility();
        station(&mut w, ad, kidal, 30);
        week(&mut w);
        assert_eq!(w.controller[kidal as usize] as usize, ad);
        assert!(w.dyn_.defeat[mnla] > 0.0, "the MNLA lost its towns");
        assert_eq!(w.dyn_.defeat[ad], 0.0);
        let stay = if strength > 0.0 { 0 } else { 10 };
        assert_eq!(fighters(&w, mnla), stay, "the beaten group's fighters leave (defeat_desertion {strength})");
        assert_eq!(fighters(&w, ad), 30, "the winner's stay, and nobody switches to an actor no better liked");
    }
}

/// M4: a foreign force hostile to a town's holder takes it for the Malian
/// state it backs, never for itself; a holder it is not hostile to keeps it.
#[test]
fn m4_a_foreign_force_takes_towns_for_the_state_it_backs() {
    let mut w = disarmed();
    let (fama, mnla, ad, france) = (w.actor("FAMa"), w.actor("MNLA"), w.actor("Ansar Dine"), w.actor("France"));
    let (gao, kidal) = (cell_of(&w, "Gao"), cell_of(&w, "Kidal"));
    w.controller[gao as usize] = ad as u8;
    w.controller[kidal as usize] = mnla as u8;
    station(&mut w, ad, gao, 2);
    w.foreign[france][gao as usize] = 4000.0;
    w.foreign[france][kidal as usize] = 4000.0;
    station(&mut w, mnla, kidal, 2);
    let mut s = Scratch::new(&w);
    s.force = sahel_mali::step::forces(&w);
    let mut p = w.sc.mechanisms.m4_control.clone();
    p.selective_per_week = 0.0;
    m4_control::apply(&mut w, &mut s, &p);
    assert_eq!(w.controller[gao as usize] as usize, fama, "France retakes Gao for Mali");
    assert_eq!(w.controller[kidal as usize] as usize, mnla, "France is not hostile to the MNLA: Kidal stays");
}

/// M10: a conventional garrison falls back from an assault its enemies can
/// mass within reach (before it comes), and stays when they are beyond reach;
/// a town its side holds with no threat near is not reinforced.
#[test]
fn m10_garrisons_fall_back_before_the_assault_and_quiet_towns_draw_nobody() {
    for (mnla_region, falls_back) in [("Kidal", true), ("Kayes", false)] {
        let mut w = disarmed();
        let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
        let (gao, there) = (cell_of(&w, "Gao"), cell_of(&w, mnla_region));
        w.controller[there as usize] = mnla as u8;
        station(&mut w, fama, gao, 3);
        station(&mut w, mnla, there, 10);
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.reach_km = 400.0;
        p.attack_ratio = 100.0; // the MNLA does not attack this week: only the threat acts
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        let at_gao = fighters_at(&w, fama, gao);
        assert_eq!(at_gao == 0, falls_back, "MNLA massed in {mnla_region}");
    }
    // quiet: FAMa holds Ségou and Bamako, nobody hostile anywhere; nobody moves
    let mut w = disarmed();
    let fama = w.actor("FAMa");
    let segou = cell_of(&w, "Ségou");
    station(&mut w, fama, segou, 10);
    let p = w.sc.mechanisms.m10_strategy.clone();
    {
        let f = sahel_mali::step::forces(&w);
        m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
    }
    let stayed = fighters_at(&w, fama, segou);
    assert_eq!(stayed, 10, "an unthreatened garrison is not drawn to the capital");
}

/// M10 with `hold_capped`: holding a threatened town scores at most an
/// assault's 1.0 (not 1.3), so a group under threat that could take a better
/// town goes for it at threats where it would otherwise sit. AQIM holds Kidal
/// with 10 agents; the MNLA, now its enemy, holds Gao with one and masses a
/// growing group next to Kidal.
#[test]
fn m10_with_holding_capped_a_threatened_group_goes_for_the_town_it_can_take() {
    let moves = |threat_agents: usize, capped: bool| -> bool {
        let mut w = disarmed();
        let (aqim, mnla) = (w.actor("AQIM"), w.actor("MNLA"));
        let (kidal, gao) = (cell_of(&w, "Kidal"), cell_of(&w, "Gao"));
        w.stance[aqim][mnla] = Stance::Hostile;
        w.stance[mnla][aqim] = Stance::Hostile;
        w.refresh_hostility();
        w.controller[kidal as usize] = aqim as u8;
        w.controller[gao as usize] = mnla as u8;
        w.dyn_.objectives = if gao < kidal { vec![gao, kidal] } else { vec![kidal, gao] };
        let next = *w.raster.neighbours(kidal).iter().min().unwrap();
        // AQIM is as welcome in both towns and at home in neither: Gao's worth
        // over Kidal's is its size and distance only
        let (nc, na) = (w.communities.len(), w.actors.len());
        for cell in [kidal, gao] {
            for k in 0..nc {
                w.support[(cell as usize * nc + k) * na + aqim] = 0.4;
            }
        }
        w.actors[aqim].home.iter_mut().for_each(|h| *h = false);
        station(&mut w, aqim, kidal, 10);
        station(&mut w, mnla, gao, 1);
        station(&mut w, mnla, next, threat_agents);
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.reach_km = 400.0;
        p.raid_per_week = 0.0;
        p.hold_capped = capped;
        let f = sahel_mali::step::forces(&w);
        m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        fighters_at(&w, aqim, gao) > 0
    };
    let mut only_capped = 0;
    for n in 0..=12 {
        let (free, capped) = (moves(n, false), moves(n, true));
        assert!(!free || capped, "{n} threatening agents: moves only without the cap");
        only_capped += (capped && !free) as usize;
    }
    assert!(only_capped > 0, "the cap never changed the choice");
}

/// M10: a foreign force with an offensive mandate attacks a town held by its
/// enemies within reach, leaving half at a base its side holds; without the
/// mandate it stays at its base.
#[test]
fn m10_an_offensive_foreign_force_attacks_and_a_static_one_stays() {
    for offensive in [true, false] {
        let mut w = disarmed();
        let (fama, ad, france) = (w.actor("FAMa"), w.actor("Ansar Dine"), w.actor("France"));
        let (gao, kidal) = (cell_of(&w, "Gao"), cell_of(&w, "Kidal"));
        // France's base at Kidal (held by FAMa); Ansar Dine holds Gao, the larger town
        assert_eq!(w.controller[kidal as usize] as usize, fama);
        w.controller[gao as usize] = ad as u8;
        station(&mut w, ad, gao, 1);
        w.foreign[france][kidal as usize] = 4000.0;
        w.actors[france].offensive = offensive;
        // the two towns are the only objectives (no threatened town of its own side to defend instead)
        w.dyn_.objectives = if gao < kidal { vec![gao, kidal] } else { vec![kidal, gao] };
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.reach_km = 400.0;
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        let (at_gao, at_kidal) = (w.foreign[france][gao as usize], w.foreign[france][kidal as usize]);
        if offensive {
            assert_eq!((at_gao, at_kidal), (2000.0, 2000.0), "half attacks Gao, half holds Kidal");
        } else {
            assert_eq!((at_gao, at_kidal), (0.0, 4000.0), "a static force stays at its base");
        }
    }
}

/// M8: a displaced person in a town in conflict moves on (to another town or a
/// camp), as in Flee; in a calm town it stays.
#[test]
fn m8_the_displaced_move_on_from_a_town_in_conflict() {
    for conflict in [true, false] {
        let mut w = world();
        clear_fighters(&mut w);
        let (gao, kidal) = (cell_of(&w, "Gao"), cell_of(&w, "Kidal"));
        // ten people of Kidal displaced to Gao
        let movers: Vec<usize> =
            (0..w.agents()).filter(|&i| w.home[i] == kidal && w.state[i] == QUIET).take(10).collect();
        assert_eq!(movers.len(), 10);
        for &i in &movers {
            w.state[i] = DISPLACED;
            w.cell[i] = gao;
        }
        w.cell_people = sahel_mali::step::residents(&w);
        let mut p = w.sc.mechanisms.m8_displacement.clone();
        p.return_per_week = 0.0;
        p.flee_per_week = 1.0;
        p.takeover_flee_per_week = 0.0;
        p.memory_weeks = 8.0;
        let mut s = Scratch::new(&w);
        if conflict {
            // deaths enough to make flight certain there
            s.deaths_in[gao as usize] = 1e6;
        }
        m8_displacement::apply(&mut w, &s, &p);
        let moved = movers.iter().filter(|&&i| w.cell[i] != gao || w.state[i] == REFUGEE).count();
        if conflict {
            assert_eq!(moved, 10, "everyone moves on from a town in conflict");
            assert!(movers.iter().all(|&i| matches!(w.state[i], DISPLACED | REFUGEE)));
        } else {
            assert_eq!(moved, 0, "nobody leaves a calm town");
        }
    }
}

/// M8: refugees return at their own rate: with the displaced's return certain
/// and the refugees' zero, the displaced all go home and the refugees stay.
#[test]
fn m8_refugees_return_at_their_own_rate() {
    let mut w = world();
    clear_fighters(&mut w);
    let (gao, kidal) = (cell_of(&w, "Gao"), cell_of(&w, "Kidal"));
    let people: Vec<usize> = (0..w.agents()).filter(|&i| w.home[i] == kidal && w.state[i] == QUIET).take(20).collect();
    let (idps, refugees) = people.split_at(10);
    for &i in idps {
        w.state[i] = DISPLACED;
        w.cell[i] = gao;
    }
    for &i in refugees {
        w.state[i] = REFUGEE;
    }
    w.cell_people = sahel_mali::step::residents(&w);
    let mut p = w.sc.mechanisms.m8_displacement.clone();
    p.return_per_week = 1.0;
    p.refugee_return_per_week = 0.0;
    let s = Scratch::new(&w);
    m8_displacement::apply(&mut w, &s, &p);
    assert!(idps.iter().all(|&i| w.state[i] == QUIET && w.cell[i] == kidal), "the displaced go home");
    assert!(refugees.iter().all(|&i| w.state[i] == REFUGEE), "the refugees stay");
}

/// M10 + M5 raids: a guerrilla group that holds its ground strikes the nearest
/// hostile force within reach and stays where it is; both sides lose fighters,
/// the struck cell counts one violent event; with `raid_per_week = 0` nobody
/// raids, and a hostile force beyond reach is not a target.
#[test]
fn m10_guerrillas_raid_the_nearest_hostile_force_and_stay() {
    let mut w = disarmed();
    let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
    let gao = cell_of(&w, "Gao");
    let camp = w.raster.neighbours(gao)[0];
    let far = cell_of(&w, "Kidal");
    station(&mut w, fama, gao, 10);
    station(&mut w, fama, far, 10);
    station(&mut w, mnla, camp, 5);
    // Gao the only town around: nothing draws the group elsewhere
    w.dyn_.objectives = vec![gao.min(far), gao.max(far)];
    let mut p = w.sc.mechanisms.m10_strategy.clone();
    p.reach_km = 1.5 * w.raster.distance(camp, gao);
    assert!(w.raster.distance(camp, far) > p.reach_km);
    p.raid_per_week = 0.0;
    let f = sahel_mali::step::forces(&w);
    assert!(m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0).is_empty(), "no raids at rate 0");
    p.raid_per_week = 1.0;
    let f = sahel_mali::step::forces(&w);
    let raids = m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
    assert_eq!(raids, vec![(mnla, camp, gao)], "the nearest hostile force within reach");
    assert_eq!(fighters_at(&w, mnla, camp), 5, "the raiders hold their ground");
    let (raiders0, posted0, far0) = (persons_at(&w, mnla, camp), persons_at(&w, fama, gao), persons_at(&w, fama, far));
    let mut s = Scratch::new(&w);
    let mut m5 = w.sc.mechanisms.m5_combat.clone();
    m5.irregular_effectiveness_per_day = 0.05;
    m5.conventional_effectiveness_per_day = 0.05;
    m5_combat::raid(&mut w, &mut s, &m5, &raids, 1);
    let (raiders1, posted1) = (persons_at(&w, mnla, camp), persons_at(&w, fama, gao));
    assert!(raiders1 < raiders0 && posted1 < posted0, "both sides lose: {raiders0}->{raiders1}, {posted0}->{posted1}");
    assert_eq!(persons_at(&w, fama, far), far0, "the force beyond reach is untouched");
    let region = w.raster.region[gao as usize] as usize;
    assert_eq!(s.tallies.violent_events[region], 1.0);
    // a raid meets at most as many as it brings: the same raid on a garrison
    // twice as large costs the garrison no more
    let lost = posted0 - posted1;
    let mut w2 = disarmed();
    station(&mut w2, fama, gao, 20);
    station(&mut w2, mnla, camp, 5);
    let posted2 = persons_at(&w2, fama, gao);
    assert!(posted2 > 1.5 * posted0 && (persons_at(&w2, mnla, camp) - raiders0).abs() < 1e-9);
    let mut s2 = Scratch::new(&w2);
    m5_combat::raid(&mut w2, &mut s2, &m5, &raids, 1);
    let lost2 = posted2 - persons_at(&w2, fama, gao);
    assert!((lost2 - lost).abs() < 1e-6 * lost.max(1.0), "{lost2} vs {lost}");
}

/// M5 with `peacekeepers_fight_battles = false`: a standing battle needs two
/// sides that seek it. A peacekeeping force (a foreign actor without an
/// offensive mandate) beside a hostile armed group does not fight it week after
/// week; with an offensive mandate, or with the switch on (the default), the
/// same force in the same cell does. (It still fires back when raided: the raid
/// test.)
#[test]
fn m5_peacekeepers_need_not_fight_standing_battles() {
    for (offensive, fight) in [(false, false), (true, false), (false, true)] {
        let mut w = disarmed();
        let (ad, minusma) = (w.actor("Ansar Dine"), w.actor("MINUSMA"));
        let kidal = cell_of(&w, "Kidal");
        w.actors[minusma].emerges = w.sc.start;
        w.actors[minusma].offensive = offensive;
        w.refresh_hostility();
        assert!(w.hostile(ad, minusma));
        station(&mut w, ad, kidal, 10);
        w.foreign[minusma][kidal as usize] = 2000.0;
        let before = persons_at(&w, ad, kidal);
        let mut s = Scratch::new(&w);
        let mut m5 = w.sc.mechanisms.m5_combat.clone();
        m5.irregular_effectiveness_per_day = 0.05;
        m5.conventional_effectiveness_per_day = 0.05;
        assert!(!m5.peacekeepers_fight_battles, "mali-2012 keeps peacekeepers out of standing battles");
        m5.peacekeepers_fight_battles = fight;
        m5_combat::apply(&mut w, &mut s, &m5);
        let (lost, peacekeepers_lost) =
            (before - persons_at(&w, ad, kidal), 2000.0 - w.foreign[minusma][kidal as usize]);
        let region = w.raster.region[kidal as usize] as usize;
        if offensive || fight {
            assert!(lost > 0.0 && peacekeepers_lost > 0.0, "{lost}, {peacekeepers_lost}");
            assert_eq!(s.tallies.violent_events[region], 1.0);
        } else {
            assert_eq!((lost, peacekeepers_lost), (0.0, 0.0));
            assert_eq!(s.tallies.violent_events[region], 0.0);
        }
    }
}

/// M10 aims: a group scores only objectives in the regions its actor fights
/// for. An MNLA group at Mopti with a northern town in reach stays where it
/// is if it fights for Mopti, and goes north if it fights for the north only.
#[test]
fn m10_groups_fight_for_their_aims() {
    for aims in [vec!["Mopti"], vec!["Kidal", "Gao", "Tombouctou"]] {
        let mut w = disarmed();
        let mnla = w.actor("MNLA");
        let (mopti, tomb) = (cell_of(&w, "Mopti"), cell_of(&w, "Tombouctou"));
        station(&mut w, mnla, mopti, 3);
        w.dyn_.objectives = if mopti < tomb { vec![mopti, tomb] } else { vec![tomb, mopti] };
        let mut ops = vec![false; w.raster.regions.len()];
        for r in &aims {
            ops[w.raster.region_index(r).unwrap()] = true;
        }
        w.dyn_.operates[mnla] = ops;
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.reach_km = 1000.0;
        let f = sahel_mali::step::forces(&w);
        m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        if aims.len() == 1 {
            assert_eq!(fighters_at(&w, mnla, mopti), 3, "it holds the town it fights for");
        } else {
            assert_eq!(fighters_at(&w, mnla, tomb), 3, "it leaves for the north it fights for");
        }
    }
}

/// M10 hunting: a task force of an offensive foreign actor that hunts goes, when
/// it has no town to take, after the largest hostile group within reach that it
/// outmasses `attack_ratio` times, in town or bush, leaving half to hold the
/// town its side holds; without the mandate to hunt it stays. Ansar Dine has 300
/// persons at Kidal and 100 at Mopti, neither cell an objective (the bush).
#[test]
fn m10_a_hunting_force_goes_after_the_largest_group_it_outmasses() {
    for (hunts, x, target) in [(true, 600.0, "Kidal"), (true, 400.0, "Mopti"), (false, 600.0, "Gao")] {
        let mut w = disarmed();
        let (fama, ad, france) = (w.actor("FAMa"), w.actor("Ansar Dine"), w.actor("France"));
        let (gao, kidal, mopti) = (cell_of(&w, "Gao"), cell_of(&w, "Kidal"), cell_of(&w, "Mopti"));
        assert_eq!(w.controller[gao as usize] as usize, fama);
        for (cell, n) in [(kidal, 3), (mopti, 1)] {
            station(&mut w, ad, cell, n);
        }
        weigh_fighters(&mut w, 100.0);
        w.foreign[france][gao as usize] = x;
        w.actors[france].hunts = hunts;
        // Gao, held by its side, is the only objective: no town to take
        w.dyn_.objectives = vec![gao];
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.reach_km = 1000.0;
        assert_eq!(p.attack_ratio, 1.5);
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        let at = |c: u32| w.foreign[france][c as usize];
        if hunts {
            let t = cell_of(&w, target);
            assert_eq!((at(t), at(gao)), (x / 2.0, x / 2.0), "half hunts at {target}, half holds Gao");
        } else {
            assert_eq!(at(gao), x, "a force that does not hunt has no town to take and stays");
        }
    }
}

/// M10 hunting finds what it locates: with nobody in the cells to help it, a
/// hunter locates a group with M5's base chance of detection, one draw per
/// actor, cell and week. France (600) at Gao hunting Ansar Dine (100 persons at
/// Kidal, in the bush): over 400 weeks it goes in about `base` of them (the
/// binomial's standard deviation is at most 0.025; tolerance 0.075, three of
/// them), never at base 0, always at base 1.
#[test]
fn m10_a_hunter_finds_a_group_with_the_chance_of_detection() {
    for base in [0.0, 0.3, 1.0] {
        let mut found = 0;
        for step in 0..400u64 {
            let mut w = disarmed();
            w.step = step;
            let (ad, france) = (w.actor("Ansar Dine"), w.actor("France"));
            let (gao, kidal) = (cell_of(&w, "Gao"), cell_of(&w, "Kidal"));
            station(&mut w, ad, kidal, 1);
            weigh_fighters(&mut w, 100.0);
            w.foreign[france][gao as usize] = 600.0;
            w.actors[france].hunts = true;
            w.dyn_.objectives = vec![gao];
            w.cell_people = vec![0.0; w.cell_people.len()]; // nobody to help
            let mut p = w.sc.mechanisms.m10_strategy.clone();
            p.reach_km = 1000.0;
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, base, 1.0);
            found += (w.foreign[france][kidal as usize] > 0.0) as u32;
        }
        let share = found as f64 / 400.0;
        assert!((share - base).abs() <= 0.075, "base {base}: found in {share} of the weeks");
        if base == 0.0 || base == 1.0 {
            assert_eq!(share, base);
        }
    }
}

/// A week's battle at Kidal between Ansar Dine (400 persons) and 2,000 of the
/// foreign actor `foreign`, M5 configured by `set` from mali-2012's values:
/// (the guerrillas' losses, the foreign force's losses, its `losses` output).
fn kidal_battle(foreign: &str, set: impl Fn(&mut sahel_mali::mechanisms::params::M5)) -> (f64, f64, f64) {
    battle_in(&mut disarmed(), |w| cell_of(w, "Kidal"), foreign, set)
}

/// The same week's battle in the cell `at` picks, in the world `w` as given
/// (an actor's doctrine may have been changed).
fn battle_in(
    w: &mut World,
    at: impl Fn(&World) -> u32,
    foreign: &str,
    set: impl Fn(&mut sahel_mali::mechanisms::params::M5),
) -> (f64, f64, f64) {
    let (ad, x) = (w.actor("Ansar Dine"), w.actor(foreign));
    let c = at(w);
    station(w, ad, c, 400);
    weigh_fighters(w, 1.0);
    w.foreign[x][c as usize] = 2000.0;
    let before = persons_at(w, ad, c);
    let mut s = Scratch::new(w);
    s.force = sahel_mali::step::forces(w);
    let mut m5 = w.sc.mechanisms.m5_combat.clone();
    set(&mut m5);
    m5_combat::apply(w, &mut s, &m5);
    (before - persons_at(w, ad, c), 2000.0 - w.foreign[x][c as usize], s.tallies.losses[x])
}

/// M5 with `towns_expose_irregulars`: guerrillas fighting for a town are fought
/// with aimed fire. France (2,000) against Ansar Dine (400) for a week at Kidal:
/// exposed, the guerrillas lose exactly what a conventional force of their
/// strength and fire would (the square law, the anchor), more than twice what
/// they lose hidden (Deitchman's area fire: found with detection 0.2 plus what
/// Kidal's people tell France); in a cell of the bush (the first after Kidal's
/// by id that is no objective) the switch changes nothing.
#[test]
fn m5_guerrillas_fighting_for_a_town_are_fought_as_a_conventional_force() {
    let rates = |m5: &mut sahel_mali::mechanisms::params::M5, exposed: bool| {
        m5.conventional_effectiveness_per_day = 0.005;
        m5.irregular_effectiveness_per_day = 0.005;
        m5.base_detection = 0.2;
        m5.towns_expose_irregulars = exposed;
    };
    let kidal = |w: &World| cell_of(w, "Kidal");
    let (hidden, _, _) = battle_in(&mut disarmed(), kidal, "France", |m5| rates(m5, false));
    let (exposed, france_exposed, _) = battle_in(&mut disarmed(), kidal, "France", |m5| rates(m5, true));
    let mut regular = disarmed();
    let ad = regular.actor("Ansar Dine");
    regular.actors[ad].doctrine = sahel_mali::scenario::Doctrine::Conventional;
    let (square, france_square, _) = battle_in(&mut regular, kidal, "France", |m5| rates(m5, false));
    assert!(exposed > 2.0 * hidden && hidden > 0.0, "exposed {exposed}, hidden {hidden}");
    assert!((exposed - square).abs() < 1e-9 && (france_exposed - france_square).abs() < 1e-9);
    // the bush: the first cell after Kidal's, by id, that is no objective
    let bush = |w: &World| {
        let k = cell_of(w, "Kidal");
        (k + 1..).find(|&c| !w.is_objective(c)).expect("a bush cell")
    };
    let (b0, _, _) = battle_in(&mut disarmed(), bush, "France", |m5| rates(m5, false));
    let (b1, _, _) = battle_in(&mut disarmed(), bush, "France", |m5| rates(m5, true));
    assert!(b0 > 0.0 && b0 == b1, "bush {b0} vs {b1}");
}

/// M5: protection: a foreign force loses `foreign_vulnerability` times what a
/// Malian force would to the same fire. MINUSMA (2,000, fighting battles) against
/// Ansar Dine (400) at Kidal for a week, unprotected and at 0.1: the
/// peacekeepers lose about a tenth as many.
#[test]
fn m5_protection_scales_what_a_foreign_force_loses() {
    let mut lost = Vec::new();
    for v in [1.0, 0.1] {
        let (_, l, counted) = kidal_battle("MINUSMA", |m5| {
            m5.conventional_effectiveness_per_day = 0.005;
            m5.irregular_effectiveness_per_day = 0.01;
            m5.foreign_vulnerability = v;
            // mali-2012 has peacekeepers out of battles and guerrillas exposed in towns
            m5.peacekeepers_fight_battles = true;
            m5.towns_expose_irregulars = false;
        });
        lost.push(l);
        assert!((counted - l).abs() < 1e-9, "the losses output counts them: {counted}");
    }
    let ratio = lost[1] / lost[0];
    assert!(lost[0] > 10.0 && (ratio - 0.1).abs() < 0.01, "lost {lost:?}");
}

/// M5: a foreign force's kill rate is `foreign_effectiveness_factor` times a
/// Malian force's of its doctrine. France against Ansar Dine at Kidal, the same
/// week at factors 1 and 10: the guerrillas lose several times more, and France,
/// facing a force that melts faster, loses less.
#[test]
fn m5_foreign_fire_scales_with_its_factor() {
    let mut losses = Vec::new();
    for factor in [1.0, 10.0] {
        let (g, f, _) = kidal_battle("France", |m5| {
            m5.conventional_effectiveness_per_day = 0.005;
            m5.irregular_effectiveness_per_day = 0.05;
            m5.foreign_effectiveness_factor = factor;
        });
        losses.push((g, f));
    }
    let ((g1, f1), (g10, f10)) = (losses[0], losses[1]);
    assert!(g1 > 0.0 && g10 > 4.0 * g1, "guerrillas lost {g1} at 1, {g10} at 10");
    assert!(f10 < f1, "France lost {f1} at 1, {f10} at 10");
}

/// M5 strikes: a foreign force's persons in a region where a hostile
/// irregular actor has fighters suffer Poisson(rate × persons) deadly strikes a
/// week, whatever the attackers' numbers. MINUSMA (2,000 at Kidal, rate 1e-3:
/// 2 a week) over 400 weeks beside Ansar Dine with 1 agent and with 40 in the
/// region: the mean loss is 2 a week within 4 standard errors (sqrt(2 / 400) =
/// 0.07) in both; with Ansar Dine only in another region, or not hostile, none.
/// Every strike is a violent event in the region and a death by `strike`.
#[test]
fn m5_strikes_kill_foreign_forces_at_their_rate_whatever_the_attackers_numbers() {
    let weekly_mean = |agents: usize, region: &str, hostile: bool| -> f64 {
        let mut w = disarmed();
        let (ad, minusma) = (w.actor("Ansar Dine"), w.actor("MINUSMA"));
        let kidal = cell_of(&w, "Kidal");
        w.actors[minusma].emerges = w.sc.start;
        w.refresh_hostility();
        assert!(w.hostile(ad, minusma));
        if !hostile {
            w.stance[ad][minusma] = Stance::Neutral;
            w.stance[minusma][ad] = Stance::Neutral;
            w.refresh_hostility();
            assert!(!w.hostile(ad, minusma));
        }
        // the attackers away from the camp, in the bush of the region (or another)
        let home = cell_of(&w, region);
        let bush = *w.raster.neighbours(home).iter().min().unwrap();
        station(&mut w, ad, bush, agents);
        let attackers = persons_at(&w, ad, bush);
        let mut m5 = w.sc.mechanisms.m5_combat.clone();
        m5.strikes_per_person_week = 1e-3;
        let (weeks, mut lost) = (400, 0.0);
        for week in 0..weeks {
            w.step = week;
            w.foreign[minusma][kidal as usize] = 2000.0;
            let mut s = Scratch::new(&w);
            m5_combat::strike(&mut w, &mut s, &m5);
            let l = 2000.0 - w.foreign[minusma][kidal as usize];
            let region = w.raster.region[kidal as usize] as usize;
            assert_eq!(s.tallies.violent_events[region], l, "one event a strike");
            assert_eq!(s.tallies.deaths_foreign, l);
            assert_eq!(s.tallies.losses[minusma], l);
            assert_eq!(s.tallies.deaths_by_cause[sahel_mali::step::Cause::Strike as usize], l);
            assert_eq!(persons_at(&w, ad, bush), attackers, "the attackers lose nobody");
            lost += l;
        }
        lost / weeks as f64
    };
    for agents in [1, 40] {
        let m = weekly_mean(agents, "Kidal", true);
        assert!((m - 2.0).abs() < 4.0 * (2.0f64 / 400.0).sqrt(), "{agents} agents: {m} a week");
    }
    assert_eq!(weekly_mean(40, "Mopti", true), 0.0, "no hostile fighters in the region");
    assert_eq!(weekly_mean(40, "Kidal", false), 0.0, "no hostile actor");
}

/// M10 with `irregulars_anticipate` and `evade_to_bush`: the MNLA holds Kidal
/// with 3 agents and FAMa can mass 10 on it from Gao within reach. Weighing
/// only the enemies in its cell, the MNLA stays; anticipating, it leaves before
/// the assault, for the least threatened town, or with `evade_to_bush` for the
/// nearest cell that is no objective and holds no hostile force.
#[test]
fn m10_guerrillas_leave_a_town_before_the_assault_and_take_to_the_bush() {
    for (anticipate, bush) in [(false, false), (true, false), (true, true)] {
        let mut w = disarmed();
        let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
        let (gao, kidal) = (cell_of(&w, "Gao"), cell_of(&w, "Kidal"));
        w.controller[kidal as usize] = mnla as u8;
        station(&mut w, fama, gao, 10);
        station(&mut w, mnla, kidal, 3);
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.reach_km = 400.0;
        p.attack_ratio = 100.0; // nobody attacks this week: only the threat acts
        p.irregulars_anticipate = anticipate;
        p.evade_to_bush = bush;
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        let stayed = fighters_at(&w, mnla, kidal);
        assert_eq!(stayed == 3, !anticipate, "anticipate {anticipate}: {stayed} of 3 stayed");
        if !anticipate {
            continue;
        }
        let gone: Vec<u32> = (0..w.agents())
            .filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == mnla)
            .map(|i| w.cell[i])
            .collect();
        assert_eq!(gone.len(), 3);
        let to = gone[0];
        assert!(gone.iter().all(|&c| c == to), "the group leaves together: {gone:?}");
        assert_ne!(to, kidal);
        assert_eq!(w.is_objective(to), !bush, "bush {bush}: went to cell {to}");
        assert!(w.raster.distance(kidal, to) <= p.reach_km);
        if bush {
            // the nearest such cell: no other non-objective, FAMa-free cell is nearer
            let d = w.raster.distance(kidal, to);
            let nearer = (0..w.raster.len() as u32)
                .any(|x| x != kidal && !w.is_objective(x) && x != gao && w.raster.distance(kidal, x) < d - 1e-9);
            assert!(!nearer, "a nearer bush cell than {d} km exists");
        }
    }
}

/// M10 with `anticipate_targets`: Kidal is FAMa's, empty, and FAMa can mass 10
/// agents on it from Gao; the MNLA's 3 agents stand in the bush beside it.
/// Without the switch the MNLA takes the empty town (an assault it wins), which
/// anticipating it would leave the next week before FAMa's assault; with it,
/// the town scores nothing and the group does not go.
#[test]
fn m10_guerrillas_do_not_take_a_town_they_would_leave() {
    for targets in [false, true] {
        let mut w = disarmed();
        let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
        let (gao, kidal) = (cell_of(&w, "Gao"), cell_of(&w, "Kidal"));
        w.controller[kidal as usize] = fama as u8;
        station(&mut w, fama, gao, 10);
        // the nearest cell to Kidal that is no objective
        let bush = (0..w.raster.len() as u32)
            .filter(|&x| x != kidal && !w.is_objective(x))
            .min_by(|&x, &y| w.raster.distance(kidal, x).partial_cmp(&w.raster.distance(kidal, y)).unwrap())
            .unwrap();
        w.controller[bush as usize] = mnla as u8;
        station(&mut w, mnla, bush, 3);
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.reach_km = 400.0;
        p.raid_per_week = 0.0;
        p.irregulars_anticipate = true;
        p.anticipate_targets = targets;
        assert!(w.raster.distance(gao, kidal) <= p.reach_km);
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        assert_eq!(fighters_at(&w, mnla, kidal) == 3, !targets, "anticipate_targets {targets}");
    }
}

/// M10 with `home_pull`: Ansar Dine (3 agents) holds Timbuktu, every town
/// within reach of it is its own and unthreatened, and Kidal, its home region's
/// capital (it starts there), is held by the hostile MNLA beyond `reach_km`.
/// Without the switch it sees nothing worth leaving for and stays; with it, it
/// marches towards Kidal, to the cell within reach nearest it.
#[test]
fn m10_a_group_marches_on_its_home_town_beyond_reach() {
    for pull in [false, true] {
        let mut w = disarmed();
        let (ad, mnla) = (w.actor("Ansar Dine"), w.actor("MNLA"));
        let (timbuktu, kidal) = (cell_of(&w, "Tombouctou"), cell_of(&w, "Kidal"));
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.raid_per_week = 0.0;
        p.home_pull = pull;
        assert!(w.raster.distance(timbuktu, kidal) > p.reach_km);
        (w.stance[mnla][ad], w.stance[ad][mnla]) = (Stance::Hostile, Stance::Hostile);
        w.refresh_hostility();
        for o in w.dyn_.objectives.clone() {
            if w.raster.distance(timbuktu, o) <= p.reach_km {
                w.controller[o as usize] = ad as u8;
            }
        }
        w.controller[kidal as usize] = mnla as u8;
        station(&mut w, ad, timbuktu, 3);
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        let cells: Vec<u32> = (0..w.agents())
            .filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == ad)
            .map(|i| w.cell[i])
            .collect();
        assert_eq!(cells.len(), 3);
        if !pull {
            assert!(cells.iter().all(|&c| c == timbuktu), "stays: {cells:?}");
            continue;
        }
        // half stays to hold the town it leaves; the rest march
        let marched: Vec<u32> = cells.iter().copied().filter(|&c| c != timbuktu).collect();
        assert!(!marched.is_empty(), "nobody marched");
        for c in marched {
            assert!(w.raster.distance(timbuktu, c) <= p.reach_km);
            let nearest = (0..w.raster.len() as u32)
                .filter(|&x| w.raster.distance(timbuktu, x) <= p.reach_km)
                .map(|x| w.raster.distance(x, kidal))
                .fold(f64::INFINITY, f64::min);
            assert_eq!(w.raster.distance(c, kidal), nearest, "to the cell within reach nearest Kidal");
        }
    }
}

/// M10 with `serve_pull`: Ansar Dine (3 agents, with money: a service
/// provider) stands in the bush 30-100 km from Timbuktu, which its ally the
/// MNLA holds and no enemy threatens. Without the switch an ally's town is
/// worth only the threat its side cannot meet (none), and the group stays; with
/// it, Timbuktu's void (people expecting 0.5, the MNLA delivering M2's 0.1: 0.4
/// of Ansar Dine's 0.45) draws it in; where the people expect no more than the
/// MNLA delivers there is no void and it stays.
#[test]
fn m10_a_service_provider_goes_where_the_people_lack_services() {
    for (pull, expect, goes) in [(false, 0.5, false), (true, 0.5, true), (true, 0.05, false)] {
        let mut w = disarmed();
        let (ad, mnla) = (w.actor("Ansar Dine"), w.actor("MNLA"));
        (w.stance[mnla][ad], w.stance[ad][mnla]) = (Stance::Allied, Stance::Allied);
        w.refresh_hostility();
        assert!(w.actors[ad].provides_services && w.actors[ad].money > 0.0);
        let timbuktu = cell_of(&w, "Tombouctou");
        let bush = (0..w.raster.len() as u32)
            .find(|&c| {
                let d = w.raster.distance(timbuktu, c);
                (30.0..100.0).contains(&d) && !w.is_objective(c)
            })
            .unwrap();
        for c in 0..w.raster.len() {
            w.controller[c] = mnla as u8;
            w.dyn_.expected[c] = 0.0;
        }
        w.dyn_.expected[timbuktu as usize] = expect;
        station(&mut w, ad, bush, 3);
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.raid_per_week = 0.0;
        p.serve_pull = pull;
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        let there = persons_at(&w, ad, timbuktu);
        if goes {
            assert!(there > 0.0 && persons_at(&w, ad, bush) == 0.0, "went to Timbuktu");
        } else {
            assert_eq!(there, 0.0, "pull {pull}, expectation {expect}: stays");
        }
    }
}

/// M10 with `weigh_firepower`: Ansar Dine (3 agents) shares Kidal with 1,000
/// French soldiers, fewer persons than twice its own: weighing persons it
/// stays; weighing France's fire factor (5) it evades.
#[test]
fn m10_guerrillas_weigh_foreign_firepower() {
    for (weigh, evades) in [(false, false), (true, true)] {
        let mut w = disarmed();
        let (ad, france) = (w.actor("Ansar Dine"), w.actor("France"));
        let kidal = cell_of(&w, "Kidal");
        w.controller[kidal as usize] = ad as u8;
        station(&mut w, ad, kidal, 3);
        let persons = persons_at(&w, ad, kidal);
        w.foreign[france][kidal as usize] = 1000.0;
        assert!(1000.0 < 2.0 * persons && 5.0 * 1000.0 >= 2.0 * persons, "{persons}");
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.weigh_firepower = weigh;
        p.attack_ratio = 100.0;
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 5.0);
        }
        assert_eq!(fighters_at(&w, ad, kidal) == 0, evades, "weigh_firepower {weigh}");
    }
}

/// M10's garrisons in whole detachments: a group of Ansar Dine leaving a town
/// its side holds for one that lacks services (`serve_pull`) leaves half its
/// persons, rounded to whole detachments of `detachment_persons`; at 25
/// persons an agent with detachments of 100, 8 agents (two detachments) leave
/// exactly 4, and 3 agents (less than one) stay or go whole; with detachments
/// of one agent (0), the 3 split 1 and 2 as before.
#[test]
fn m10_a_garrison_is_left_in_whole_detachments() {
    for (n, detachment) in [(8usize, 100.0), (3, 100.0), (3, 0.0)] {
        let mut kept_counts = std::collections::BTreeSet::new();
        for seed in 0..12u64 {
            let mut w = disarmed();
            w.seed = seed;
            w.sc.people_per_agent = 25.0;
            let (ad, mnla) = (w.actor("Ansar Dine"), w.actor("MNLA"));
            (w.stance[mnla][ad], w.stance[ad][mnla]) = (Stance::Allied, Stance::Allied);
            w.refresh_hostility();
            let timbuktu = cell_of(&w, "Tombouctou");
            // a town its allies hold within reach of Timbuktu, the smallest
            let town = w
                .dyn_
                .objectives
                .iter()
                .copied()
                .filter(|&o| o != timbuktu && w.raster.distance(o, timbuktu) <= 250.0)
                .min_by(|&x, &y| w.people(x as usize).partial_cmp(&w.people(y as usize)).unwrap())
                .expect("a town near Timbuktu");
            for c in 0..w.raster.len() {
                w.controller[c] = mnla as u8;
                w.dyn_.expected[c] = 0.0;
            }
            w.dyn_.expected[timbuktu as usize] = 1.0;
            station(&mut w, ad, town, n);
            weigh_fighters(&mut w, 25.0);
            let mut p = w.sc.mechanisms.m10_strategy.clone();
            p.raid_per_week = 0.0;
            p.serve_pull = true;
            p.detachment_persons = detachment;
            {
                let f = sahel_mali::step::forces(&w);
                m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
            }
            let (kept, gone) = (fighters_at(&w, ad, town), fighters_at(&w, ad, timbuktu));
            assert_eq!(kept + gone, n, "every agent stays or goes to Timbuktu");
            kept_counts.insert(kept);
        }
        let kept: Vec<usize> = kept_counts.into_iter().collect();
        match (n, detachment > 0.0) {
            (8, true) => assert_eq!(kept, vec![4], "two detachments: one stays"),
            (3, true) => assert_eq!(kept, vec![0, 3], "below a detachment: whole, either way"),
            _ => assert_eq!(kept, vec![1, 2], "one agent a detachment: half, the odd one at random"),
        }
    }
}

/// One week of M6 income of actor `name` holding every cell of Gao region (a
/// northern town and its land), with no flows, no money and pay switched off;
/// `set` adjusts the world (given the actor's index) and M6's parameters first.
fn week_income_holding_gao(name: &str, set: impl FnOnce(&mut World, usize, &mut params::M6)) -> f64 {
    let mut w = world();
    clear_fighters(&mut w);
    let a = w.actor(name);
    let gao = w.raster.region_index("Gao").unwrap();
    for c in 0..w.raster.len() {
        if w.raster.region[c] as usize == gao {
            w.controller[c] = a as u8;
        }
    }
    w.dyn_.flows.clear();
    w.actors[a].money = 0.0;
    let mut p = w.sc.mechanisms.m6_money.clone();
    p.pay_per_fighter_week = 0.0;
    set(&mut w, a, &mut p);
    m6_money::apply(&mut w, &p);
    w.actors[a].money
}

/// M6 with `unfunded`: an armed group of an unfunded kind holding Gao (a
/// northern town) and its land takes no trafficking income and no levies; a
/// jihadist holding the same takes its ransom, trafficking and levies; with
/// `unfunded` empty the rebel takes trafficking and levies.
#[test]
fn m6_an_unfunded_kind_takes_neither_trafficking_nor_levies() {
    use sahel_mali::scenario::Kind;
    let income = |name: &str, unfunded: Vec<Kind>| week_income_holding_gao(name, |_, _, p| p.unfunded = unfunded);
    let p = world().sc.mechanisms.m6_money.clone();
    assert!(p.trafficking_per_town_week > 0.0 && p.levy_per_person_week > 0.0);
    assert_eq!(income("MNLA", vec![Kind::Rebel]), 0.0, "an unfunded rebel takes nothing");
    let funded = income("MNLA", vec![]);
    assert!(funded > p.trafficking_per_town_week, "a funded rebel takes trafficking and levies: {funded}");
    let jihadist = income("MUJAO", vec![Kind::Rebel]);
    assert!(
        jihadist > funded,
        "the jihadist keeps its trafficking and levies and adds its ransom: {jihadist} vs {funded}"
    );
}

/// M6 with the per-actor `trafficking_and_levies = false`: the MNLA holding Gao
/// and its land takes nothing in a week; the CMA, a rebel of the same kind
/// holding the same, takes trafficking and levies (the switch is the actor's,
/// not its kind's).
#[test]
fn m6_an_actor_without_trafficking_and_levies_takes_neither() {
    let income =
        |name: &str, takes: bool| week_income_holding_gao(name, |w, a, _| w.actors[a].trafficking_and_levies = takes);
    let p = world().sc.mechanisms.m6_money.clone();
    assert_eq!(income("MNLA", false), 0.0, "the MNLA without the switch takes nothing");
    let cma = income("CMA", true);
    assert!(cma > p.trafficking_per_town_week, "the CMA takes trafficking and levies: {cma}");
    assert_eq!(income("MNLA", true), cma, "with the switch on, the MNLA takes what the CMA does");
}

/// A split event's wing: with share 1 every fighter of the named communities
/// goes over and the others stay; with share 0 nobody moves; with share ½ about
/// half go (2,000 fighter agents: binomial sd 22, the band is ±5 sd), each where
/// it stood, and the same seed picks the same wing.
#[test]
fn a_split_moves_a_share_of_the_wings_fighters_where_they_stand() {
    let setup = || {
        let mut w = world();
        clear_fighters(&mut w);
        let ad = w.actor("Ansar Dine");
        let kidal = cell_of(&w, "Kidal");
        station(&mut w, ad, kidal, 3000);
        (w, ad, kidal)
    };
    let tuareg = |w: &World| w.communities.iter().position(|c| c == "Tuareg").unwrap() as u8;
    let count = |w: &World, a: usize, wing: Option<bool>| {
        let t = tuareg(w);
        (0..w.agents())
            .filter(|&i| w.state[i] == FIGHTER && w.affil[i] as usize == a)
            .filter(|&i| wing.is_none_or(|x| (w.comm[i] == t) == x))
            .count()
    };
    // give 2,000 of the 3,000 the Tuareg community, the rest another
    let mark = |w: &mut World, ad: usize| {
        let t = tuareg(w);
        let other = (t + 1) % w.communities.len() as u8;
        let mut k = 0;
        for i in 0..w.agents() {
            if w.state[i] == FIGHTER && w.affil[i] as usize == ad {
                w.comm[i] = if k < 2000 { t } else { other };
                k += 1;
            }
        }
    };
    let wing = vec!["Tuareg".to_string()];
    let (mut w, ad, kidal) = setup();
    mark(&mut w, ad);
    let into = w.actor("CMA");
    w.split(ad, into, 1.0, &wing);
    assert_eq!(count(&w, into, Some(true)), 2000, "share 1: the whole wing goes");
    assert_eq!(count(&w, ad, Some(false)), 1000, "the others stay");
    assert_eq!(fighters_at(&w, into, kidal), 2000, "where they stood");

    let (mut w, ad, _) = setup();
    mark(&mut w, ad);
    w.split(ad, into, 0.0, &wing);
    assert_eq!(count(&w, ad, None), 3000, "share 0: nobody moves");

    let half = |w: &mut World| {
        w.split(ad, into, 0.5, &wing);
        (0..w.agents()).filter(|&i| w.affil[i] as usize == into && w.state[i] == FIGHTER).collect::<Vec<_>>()
    };
    let (mut w, ad2, _) = setup();
    mark(&mut w, ad2);
    let went = half(&mut w);
    assert!((890..=1110).contains(&went.len()), "share ½: about half the wing, {}", went.len());
    assert_eq!(count(&w, into, Some(false)), 0, "none of the others");
    let (mut w2, _, _) = setup();
    mark(&mut w2, ad2);
    assert_eq!(half(&mut w2), went, "the same seed picks the same wing");
}

/// M10 with `state_presence` beyond reach: the army (20 agents) stands in
/// Mopti; its side holds only Mopti and Gao (France retook it), more than
/// `reach_km` away, and a neutral actor holds every other town. Without the
/// switch Gao lies beyond what the army weighs and it stays; with it, Gao is
/// short of its aimed presence (it has none there), and the army leaves half
/// to hold Mopti and marches the rest towards Gao, to the cell within reach
/// nearest it (the redeployment to towns retaken for the state).
#[test]
fn m10_with_state_presence_the_army_marches_to_a_town_retaken_beyond_reach() {
    for presence in [false, true] {
        let mut w = disarmed();
        let (fama, france, other) = (w.actor("FAMa"), w.actor("France"), w.actor("Dan Na Ambassagou"));
        let (mopti, gao) = (cell_of(&w, "Mopti"), cell_of(&w, "Gao"));
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.raid_per_week = 0.0;
        p.state_presence = presence;
        assert!(w.raster.distance(mopti, gao) > p.reach_km);
        (w.stance[fama][other], w.stance[other][fama]) = (Stance::Neutral, Stance::Neutral);
        (w.stance[france][other], w.stance[other][france]) = (Stance::Neutral, Stance::Neutral);
        w.refresh_hostility();
        for c in 0..w.raster.len() {
            w.controller[c] = other as u8;
        }
        w.controller[mopti as usize] = fama as u8;
        w.controller[gao as usize] = france as u8;
        station(&mut w, fama, mopti, 20);
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        let stayed = fighters_at(&w, fama, mopti);
        if !presence {
            assert_eq!(stayed, 20, "Gao is beyond what it weighs: it stays");
            continue;
        }
        assert_eq!(stayed, 10, "half stays to hold Mopti");
        let went: Vec<u32> =
            (0..w.agents()).filter(|&i| w.state[i] == FIGHTER && w.cell[i] != mopti).map(|i| w.cell[i]).collect();
        assert_eq!(went.len(), 10);
        let nearest = (0..w.raster.len() as u32)
            .filter(|&x| w.raster.distance(mopti, x) <= p.reach_km)
            .map(|x| w.raster.distance(x, gao))
            .fold(f64::INFINITY, f64::min);
        for c in went {
            assert!(w.raster.distance(mopti, c) <= p.reach_km);
            assert_eq!(w.raster.distance(c, gao), nearest, "to the cell within reach nearest Gao");
        }
    }
}

/// M10 with `state_presence`: the army (20 agents) stands in Ségou, its side
/// holds every town and no enemy is anywhere. Without the switch an
/// unthreatened garrison stays where it is. With it, the army aims at a
/// presence in each town its side holds in proportion to the town's people:
/// Ségou holds far more than its share, so the group goes to a town short of
/// its share and leaves half behind; the towns are at most 300 km away.
#[test]
fn m10_with_state_presence_the_army_goes_where_its_side_holds_people_without_it() {
    for presence in [false, true] {
        let mut w = disarmed();
        let fama = w.actor("FAMa");
        let segou = cell_of(&w, "Ségou");
        for c in 0..w.raster.len() {
            w.controller[c] = fama as u8;
        }
        station(&mut w, fama, segou, 20);
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.state_presence = presence;
        {
            let f = sahel_mali::step::forces(&w);
            m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        }
        let stayed = fighters_at(&w, fama, segou);
        if presence {
            assert_eq!(stayed, 10, "half stays to hold Ségou");
            let went: Vec<u32> =
                (0..w.agents()).filter(|&i| w.state[i] == FIGHTER && w.cell[i] != segou).map(|i| w.cell[i]).collect();
            assert_eq!(went.len(), 10);
            assert!(went.iter().all(|&c| c == went[0] && w.is_objective(c)), "one group, to one town");
            assert!(w.raster.distance(segou, went[0]) <= p.reach_km);
        } else {
            assert_eq!(stayed, 20, "an unthreatened garrison stays");
        }
    }
}

/// M2 with `settled_expectations`: on the start date each cell's people expect
/// what its holder then delivers at full funding (the state 0.35 in the north
/// and 0.6 elsewhere), so the state's cells start with no gap; without it every
/// cell expects `initial_expectation`.
#[test]
fn m2_settled_expectations_start_at_what_the_holder_delivers() {
    for settled in [false, true] {
        let mut w = world_with(|sc| sc.mechanisms.m2_services.settled_expectations = settled);
        let p = w.sc.mechanisms.m2_services.clone();
        let state = w.state_actor();
        let mut seen = (false, false);
        for c in 0..w.raster.len() {
            let e = w.dyn_.expected[c];
            if !settled {
                assert_eq!(e, p.initial_expectation);
                continue;
            }
            if w.controller[c] as usize == state {
                let want = if w.dyn_.north[c] { p.state_service_north } else { p.state_service_south };
                assert!((e - want * w.actors[state].capacity).abs() < 1e-12, "cell {c}: {e} against {want}");
                if w.dyn_.north[c] {
                    seen.0 = true;
                } else {
                    seen.1 = true;
                }
            }
        }
        assert!(!settled || (seen.0 && seen.1), "the state holds cells north and south on the start date");
        // a week of M2 at full funding, nobody harmed: at rest the state's
        // support in a northern cell it holds does not move; from 0.5 it falls
        let north = (0..w.raster.len()).find(|&c| w.dyn_.north[c] && w.controller[c] as usize == state).unwrap();
        let (nc, na) = (w.communities.len(), w.actors.len());
        let before: Vec<f32> = (0..nc).map(|k| w.support[(north * nc + k) * na + state]).collect();
        w.dyn_.service_budget[state] = 1.0;
        w.dyn_.best_service_budget = 1.0;
        let scratch = Scratch::new(&w);
        m2_services::apply(&mut w, &scratch, &p);
        for (k, &b) in before.iter().enumerate() {
            let after = w.support[(north * nc + k) * na + state];
            if settled {
                assert_eq!(after, b, "community {k}: no gap, no blame");
            } else if b > 0.0 {
                assert!(after < b, "community {k}: 0.35 against 0.5 is blamed ({b} -> {after})");
            }
        }
    }
}

/// M2's `state_service_regions`: the state delivers the level a region is
/// given in place of the north's or the south's. With settled expectations
/// (what each cell's holder delivers on the start date), the state's cells in
/// Mopti expect 0.35 with Mopti given 0.35, and the south's 0.6 without;
/// Ségou's, not named, expect the south's either way.
#[test]
fn m2_the_state_delivers_a_named_regions_level() {
    for named in [false, true] {
        let w = world_with(|sc| {
            sc.mechanisms.m2_services.settled_expectations = true;
            if named {
                sc.mechanisms.m2_services.state_service_regions.insert("Mopti".into(), 0.35);
            }
        });
        let p = &w.sc.mechanisms.m2_services;
        let state = w.state_actor();
        let cap = w.actors[state].capacity;
        for (region, want) in
            [("Mopti", if named { 0.35 } else { p.state_service_south }), ("Ségou", p.state_service_south)]
        {
            let r = w.raster.region_index(region).unwrap();
            let cells: Vec<usize> = (0..w.raster.len())
                .filter(|&c| w.raster.region[c] as usize == r && w.controller[c] as usize == state)
                .collect();
            assert!(!cells.is_empty(), "the state holds {region}");
            for c in cells {
                assert!(
                    (w.dyn_.expected[c] - want * cap).abs() < 1e-12,
                    "{region}, named {named}: {}",
                    w.dyn_.expected[c]
                );
            }
        }
    }
}

/// M2 with `relax_per_week` λ, at its anchor's setting (a fixed expectation:
/// `adaptation_per_week` 0; no harm, no provider): the state holds every cell
/// and delivers 0.35 in the north against an expected 0.5. Without relaxing,
/// the blame accumulates and support in a northern cell goes to 0; with it,
/// support settles where the week's blame `r·g` and the relaxing towards the
/// start-date level `b` balance, `b + r·g·(1 − λ)/λ` (Athena's URAM: effects
/// fade towards a baseline).
#[test]
fn m2_with_relax_a_lasting_gap_holds_support_at_a_level() {
    for relax in [0.0, 0.05] {
        let mut w = disarmed();
        let state = w.state_actor();
        for c in 0..w.raster.len() {
            w.controller[c] = state as u8;
        }
        let mut p = w.sc.mechanisms.m2_services.clone();
        p.adaptation_per_week = 0.0;
        p.relax_per_week = relax;
        w.dyn_.expected.iter_mut().for_each(|e| *e = 0.5);
        w.dyn_.service_budget[state] = 1.0;
        w.dyn_.best_service_budget = 1.0;
        let (nc, na) = (w.communities.len(), w.actors.len());
        let north = (0..w.raster.len()).find(|&c| w.dyn_.north[c] && w.people(c) > 0.0).unwrap();
        let r = w.raster.region[north] as usize;
        for _ in 0..400 {
            let scratch = Scratch::new(&w);
            m2_services::apply(&mut w, &scratch, &p);
        }
        let gap = p.state_service_north - 0.5;
        for k in 0..nc {
            let now = w.support[(north * nc + k) * na + state] as f64;
            let b = w.dyn_.baseline_support[(r * nc + k) * na + state] as f64;
            if relax == 0.0 {
                assert_eq!(now, 0.0, "community {k}: the blame accumulates to 0");
            } else {
                let level = (b + p.fall_per_week * gap * (1.0 - relax) / relax).max(0.0);
                assert!(level > 0.0, "community {k}: the start {b} keeps the level above 0");
                assert!((now - level).abs() < 1e-4, "community {k}: {now} against {level} (start {b})");
            }
        }
    }
}

/// M11 → M2 with `blame_unprotected`: three active Peul in Mopti's capital
/// kill Dogon and Bambara there (Model II's rate, unarmed); M11 records the
/// week's victims by community. The week after, with the state holding the
/// cell and delivering what people expect (no gap, nobody harmed by an actor),
/// the victims' communities' support for the state falls by `harm_weight`
/// times the share of their people there killed, and the Peul's does not;
/// without `blame_unprotected` nobody's moves.
#[test]
fn m2_a_community_blames_the_holder_who_failed_to_protect_it() {
    for blame in [false, true] {
        let mut w = disarmed();
        let mopti = cell_of(&w, "Mopti") as usize;
        let state = w.state_actor();
        assert_eq!(w.controller[mopti] as usize, state);
        assert_eq!(make_active(&mut w, mopti as u32, "Peul", 3), 3);
        let mut p11 = w.sc.mechanisms.m11_communal.clone();
        (p11.kill_per_week, p11.arms_persons) = (1.0, 0.0);
        w.cell_people = sahel_mali::step::residents(&w);
        let mut s = Scratch::new(&w);
        m11_communal::apply(&mut w, &mut s, &p11);
        let nc = w.communities.len();
        let killed: Vec<f64> = (0..nc).map(|k| w.dyn_.unprotected[mopti * nc + k]).collect();
        assert!(
            (killed.iter().sum::<f64>() - 3.0 * w.ppa).abs() < 1e-9,
            "the week's victims, by community: {killed:?}"
        );
        let peul = w.communities.iter().position(|c| c == "Peul").unwrap();
        assert_eq!(killed[peul], 0.0, "the Peul killed, and lost nobody");
        // the week after: no service gap, nobody harmed by an actor
        w.cell_people = sahel_mali::step::residents(&w);
        let mut p = w.sc.mechanisms.m2_services.clone();
        (p.blame_unprotected, p.relax_per_week) = (blame, 0.0);
        w.dyn_.service_budget[state] = 1.0;
        w.dyn_.best_service_budget = 1.0;
        w.dyn_.expected[mopti] = p.state_service_south * w.actors[state].capacity;
        let na = w.actors.len();
        let before: Vec<f32> = (0..nc).map(|k| w.support[(mopti * nc + k) * na + state]).collect();
        let scratch = Scratch::new(&w);
        m2_services::apply(&mut w, &scratch, &p);
        for k in 0..nc {
            let after = w.support[(mopti * nc + k) * na + state] as f64;
            let own = w.people_of(mopti, k);
            let want = if blame && killed[k] > 0.0 {
                (before[k] as f64 - p.harm_weight * killed[k] / (own + killed[k])).max(0.0)
            } else {
                before[k] as f64
            };
            assert!((after - want).abs() < 1e-6, "blame {blame}, community {k}: {after} against {want}");
            if blame && killed[k] > 0.0 {
                assert!(after < before[k] as f64, "community {k} lost people and blames the state");
            }
        }
    }
}

/// M10 with `withdraw_cut_off`: an army group holding a post in Tombouctou's
/// region, beyond any town within its reach to attack or defend (the post,
/// Timbuktu and Mopti are the only objectives; Timbuktu over 300 km away),
/// stays without it. With it, once the MNLA holds Timbuktu (the region's
/// capital) the whole group withdraws, leaving no garrison, towards Mopti, the
/// nearest town its side holds in a region whose capital it holds; while the
/// state still holds Timbuktu it stays.
#[test]
fn m10_a_garrison_cut_off_from_its_regions_capital_withdraws() {
    for (withdraw, seat_lost, stays) in [(false, true, true), (true, false, true), (true, true, false)] {
        let mut w = world();
        clear_fighters(&mut w);
        let (fama, mnla) = (w.actor("FAMa"), w.actor("MNLA"));
        let (tomb, mopti) = (cell_of(&w, "Tombouctou"), cell_of(&w, "Mopti"));
        let region = w.raster.region[tomb as usize];
        let post = (0..w.raster.len() as u32)
            .filter(|&c| w.raster.region[c as usize] == region && w.raster.distance(c, tomb) > 320.0)
            .min_by(|&x, &y| w.raster.distance(x, mopti).partial_cmp(&w.raster.distance(y, mopti)).unwrap())
            .expect("Tombouctou's region reaches beyond 320 km of Timbuktu");
        let mut towns = vec![post, tomb, mopti];
        towns.sort();
        w.dyn_.objectives = towns;
        assert_eq!(w.controller[post as usize] as usize, fama);
        if seat_lost {
            w.controller[tomb as usize] = mnla as u8;
        }
        station(&mut w, fama, post, 5);
        let mut p = w.sc.mechanisms.m10_strategy.clone();
        p.withdraw_cut_off = withdraw;
        let f = sahel_mali::step::forces(&w);
        m10_strategy::apply(&mut w, &f, &p, 1.0, 1.0);
        let case = format!("withdraw_cut_off {withdraw}, Timbuktu lost {seat_lost}");
        if stays {
            assert_eq!(fighters_at(&w, fama, post), 5, "the group holds its post ({case})");
        } else {
            assert_eq!(fighters_at(&w, fama, post), 0, "the whole group withdraws, no garrison left ({case})");
            let now: Vec<u32> = (0..w.agents()).filter(|&i| w.state[i] == FIGHTER).map(|i| w.cell[i]).collect();
            assert_eq!(now.len(), 5);
            assert!(
                now.iter().all(|&c| w.raster.distance(c, mopti) < w.raster.distance(post, mopti)),
                "towards Mopti ({case})"
            );
        }
    }
}
