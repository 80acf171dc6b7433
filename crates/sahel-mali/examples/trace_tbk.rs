use sahel_mali::world::World;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).unwrap();
    let seed: u64 = args[2].parse().unwrap();
    let region_name = args.get(3).cloned().unwrap_or("Tombouctou".into());
    let sc = toml::from_str(&text).expect("scenario");
    let mut w = World::new(sc, seed).unwrap();
    let ri = w.raster.regions.iter().position(|r| r.name == region_name).unwrap();
    let cap = w.capital[ri];
    let names = ["FAMa", "MNLA", "Ansar Dine", "AQIM", "MUJAO"];
    let ids: Vec<usize> = names.iter().map(|n| w.actors.iter().position(|a| a.name == *n).unwrap()).collect();
    loop {
        let d = w.today().to_string();
        if d.as_str() > "2012-09-08" {
            break;
        }
        if d.as_str() >= "2012-01-01" {
            let f = sahel_mali::step::forces(&w);
            let ctl = w.controller[cap as usize];
            let ctl = if (ctl as usize) < w.actors.len() { w.actors[ctl as usize].name.clone() } else { "-".into() };
            let mut line = format!(
                "{d} ctl {ctl:10} people {:6.0} |",
                (0..w.communities.len()).map(|k| w.people_of(cap as usize, k)).sum::<f64>()
            );
            for (k, &a) in ids.iter().enumerate() {
                let incell = f[a][cap as usize];
                let (mut near, mut reg) = (0.0, 0.0);
                let (mut big, mut bigd) = (0.0, 0.0);
                for c in 0..w.raster.len() {
                    let x = f[a][c];
                    if x <= 0.0 {
                        continue;
                    }
                    let dist = w.raster.distance(cap, c as u32);
                    if dist <= 100.0 {
                        near += x;
                    }
                    if w.raster.region[c] as usize == ri {
                        reg += x;
                    }
                    if x > big {
                        big = x;
                        bigd = dist;
                    }
                }
                line += &format!(
                    " {}: {:.0}/{:.0}/{:.0} big {:.0}@{:.0}km |",
                    &names[k][..4.min(names[k].len())],
                    incell,
                    near,
                    reg,
                    big,
                    bigd
                );
            }
            println!("{line}");
        }
        w.advance();
    }
}
