use sahel_mali::calendar::Date;
use sahel_mali::scenario::Scenario;
use sahel_mali::world::World;
use sahel_mali::step::Cause;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ppa: f64 = args[1].parse().unwrap();
    let seeds: u64 = args[2].parse().unwrap();
    let sets: Vec<String> = args[3..].to_vec();
    let mut text = sahel_mali::scenario::BUILTIN[0].1.to_string();
    let _ = &sets;
    let mut sc: Scenario = toml::from_str(&text).unwrap();
    text.clear();
    sc.people_per_agent = ppa;
    sc.geography.cell_deg = 0.25;
    let na = sc.actors.len();
    let names: Vec<String> = sc.actors.iter().map(|a| a.name.clone()).collect();
    // year -> cause
    let mut by_cause = vec![[0.0f64; 5]; 6];
    let mut losses = vec![vec![0.0f64; na]; 6];
    let mut totals = Vec::new();
    let mut traj = vec![[0.0f64; 3]; 14];
    for seed in 1..=seeds {
        let mut w = World::new(sc.clone(), seed).unwrap();
        let until = Date::parse("2017-12-31").unwrap();
        let steps = ((until.0 - w.clock.start.0 + 1) / w.clock.step_days as i64) as u64;
        let mut tot = 0.0;
        while w.step < steps {
            let t = w.advance();
            let y = (w.today().year() - 2012) as usize;
            if std::env::var("TRACE").is_ok() && seed <= 2 && (w.today().year() == 2012 && w.step % 8 == 0 || w.today().year() == 2013 && w.step % 4 == 0) {
                let f = sahel_mali::step::forces(&w);
                let s: Vec<String> = [1usize,3,4,5,6,12,13].iter().map(|&a| {
                    let tot: f64 = f[a].iter().sum();
                    let cells = f[a].iter().filter(|&&x| x > 0.0).count();
                    format!("{}={:.0}/{}", &names[a][..3.min(names[a].len())], tot, cells)
                }).collect();
                println!("  s{seed} {} battle {:.0} | {}", w.today(), t.deaths_by_cause[0], s.join(" "));
            }
            if y >= 6 { continue; }
            if w.step % 4 == 0 && w.step < 56 {
                let f = sahel_mali::step::forces(&w);
                let jih: f64 = [3usize,4,5,6].iter().map(|&a| f[a].iter().sum::<f64>()).sum();
                let jl: f64 = [3usize,4,5,6].iter().map(|&a| t.losses[a]).sum();
                let fr: f64 = w.foreign[12].iter().sum();
                traj[(w.step / 4) as usize][0] += jih / seeds as f64;
                traj[(w.step / 4) as usize][1] += jl / seeds as f64;
                traj[(w.step / 4) as usize][2] += fr / seeds as f64;
            }
            if false {
                let fr: f64 = w.foreign[12].iter().sum();
                let jih: f64 = { let f = sahel_mali::step::forces(&w); [3usize,4,5,6].iter().map(|&a| f[a].iter().sum::<f64>()).sum() };
                print!("s{seed} step{} {} France {:.0} jihadists {:.0}; ", w.step, w.today(), fr, jih);
                if w.step == 100 { println!(); }
            }
            for (k, d) in t.deaths_by_cause.iter().enumerate() { by_cause[y][k] += d / seeds as f64; tot += d; }
            for (a, l) in t.losses.iter().enumerate() { losses[y][a] += l / seeds as f64; }
        }
        totals.push(tot);
    }
    for (k, t) in traj.iter().enumerate() { println!("step {} jihadists {:.0} lost {:.0} France {:.0}", 4 * k, t[0], t[1], t[2]); }
    totals.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("ppa {ppa}: total median {:.0}", totals[totals.len() / 2]);
    for y in 0..6 {
        let c: Vec<String> = Cause::ALL.iter().enumerate().map(|(k, c)| format!("{}={:.0}", c.name(), by_cause[y][k])).collect();
        let l: Vec<String> = (0..na).map(|a| format!("{}={:.0}", names[a], losses[y][a])).collect();
        println!("{} {} | {}", 2012 + y, c.join(" "), l.join(" "));
    }
}
