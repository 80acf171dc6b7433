use sahel_mali::scenario::Scenario;
use sahel_mali::world::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ppa: f64 = args[1].parse().unwrap();
    let seeds: u64 = args[2].parse().unwrap();
    let steps: u64 = args[3].parse().unwrap();
    let mut sc: Scenario = toml::from_str(sahel_mali::scenario::BUILTIN[0].1).unwrap();
    sc.people_per_agent = ppa;
    sc.geography.cell_deg = 0.25;
    let na = sc.actors.len();
    let names: Vec<String> = sc.actors.iter().map(|a| a.name.clone()).collect();
    // per actor: joined from civilians, left to civilians, switched in, switched out, start, end
    let mut flow = vec![[0.0f64; 6]; na];
    let mut active_mean = 0.0;
    for seed in 1..=seeds {
        let mut w = World::new(sc.clone(), seed).unwrap();
        w.advance();
        for i in 0..w.agents() { if w.state[i] == FIGHTER { flow[w.affil[i] as usize][4] += w.weight[i] / seeds as f64; } }
        while w.step < steps {
            let (st, af) = (w.state.clone(), w.affil.clone());
            w.advance();
            let mut act = 0.0;
            for i in 0..w.agents() {
                let (s0, s1) = (st[i], w.state[i]);
                if s1 == ACTIVE { act += w.weight[i]; }
                let wt = w.weight[i] / seeds as f64;
                if s0 != FIGHTER && s1 == FIGHTER { flow[w.affil[i] as usize][0] += wt; }
                if s0 == FIGHTER && s1 != FIGHTER && s1 != DEAD { flow[af[i] as usize][1] += wt; }
                if s0 == FIGHTER && s1 == FIGHTER && af[i] != w.affil[i] { flow[w.affil[i] as usize][2] += wt; flow[af[i] as usize][3] += wt; }
            }
            active_mean += act / (seeds * steps) as f64;
        }
        for i in 0..w.agents() { if w.state[i] == FIGHTER { flow[w.affil[i] as usize][5] += w.weight[i] / seeds as f64; } }
    }
    println!("ppa {ppa}: mean active persons {active_mean:.0}");
    for a in 0..na {
        let f = flow[a];
        if f.iter().any(|x| *x > 0.5) {
            println!("{:<24} start {:>6.0} joined {:>6.0} left {:>6.0} switched-in {:>6.0} switched-out {:>6.0} end {:>6.0}", names[a], f[4], f[0], f[1], f[2], f[3], f[5]);
        }
    }
}
