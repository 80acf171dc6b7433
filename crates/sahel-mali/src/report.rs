//! A self-contained HTML report of a run: charts of the main national series
//! (with the observed UCDP deaths beside the simulated ones) and maps of who
//! holds the land at a few dates. No scripts, no external files: inline SVG.

use crate::output::Recorder;
use crate::scenario::Kind;
use crate::world::World;
use std::fmt::Write;

const OBSERVED: &str = include_str!("../../../data/mali/observed-2012-2017.csv");

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A line chart of `(x, y)` points scaled into a 640×200 box.
fn line_chart(title: &str, points: &[(f64, f64)], y_label: &str, extra: &[(f64, f64)]) -> String {
    let (w, h, m) = (640.0, 200.0, 40.0);
    let xmin = points.first().map_or(0.0, |p| p.0);
    let xmax = points.last().map_or(1.0, |p| p.0).max(xmin + 1e-9);
    let ymax = points.iter().chain(extra).map(|p| p.1).fold(0.0f64, f64::max).max(1e-9);
    let sx = |x: f64| m + (x - xmin) / (xmax - xmin) * (w - 2.0 * m);
    let sy = |y: f64| h - m / 2.0 - y / ymax * (h - m);
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg viewBox='0 0 {w} {h}' width='{w}' height='{h}' role='img'>",
        esc(title)
    );
    let path: Vec<String> = points.iter().map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y))).collect();
    let _ = write!(svg, "<polyline fill='none' stroke='#1f5f8b' stroke-width='1.5' points='{}'/>", path.join(" "));
    for &(x, y) in extra {
        let _ = write!(
            svg,
            "<circle cx='{:.1}' cy='{:.1}' r='4' fill='#c0392b'><title>observed {y:.0}</title></circle>",
            sx(x),
            sy(y)
        );
    }
    let _ = write!(
        svg,
        "<text x='{m}' y='12' font-size='11'>max {ymax:.3} {}</text><text x='{m}' y='{}' font-size='11'>{xmin:.0}</text><text x='{}' y='{}' font-size='11'>{xmax:.0}</text></svg></figure>",
        esc(y_label),
        h - 2.0,
        w - m - 30.0,
        h - 2.0
    );
    svg
}

/// Who killed whom: persons by year for the pairs with the most deaths over
/// the run (`dyads.csv` has every pair, week by week).
fn dyad_table(rec: &Recorder) -> String {
    const ROWS: usize = 15;
    let years: Vec<i64> = rec.yearly_deaths.iter().map(|&(y, _)| y).collect();
    let mut pairs: std::collections::BTreeMap<(&str, &str), f64> = Default::default();
    for ((_, v, k), p) in &rec.dyads_by_year {
        *pairs.entry((v.as_str(), k.as_str())).or_insert(0.0) += p;
    }
    let mut ranked: Vec<((&str, &str), f64)> = pairs.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = String::from("<h2>Who killed whom</h2><table border='1' cellpadding='3' style='border-collapse:collapse'><tr><th>dead</th><th>killed by</th>");
    for y in &years {
        let _ = write!(out, "<th>{y}</th>");
    }
    out.push_str("<th>all</th></tr>");
    for ((v, k), total) in ranked.iter().take(ROWS) {
        let _ = write!(out, "<tr><td>{}</td><td>{}</td>", esc(v), esc(k));
        for y in &years {
            let p = rec.dyads_by_year.get(&(*y, v.to_string(), k.to_string())).copied().unwrap_or(0.0);
            let _ = write!(out, "<td align='right'>{p:.0}</td>");
        }
        let _ = write!(out, "<td align='right'>{total:.0}</td></tr>");
    }
    let _ = write!(
        out,
        "</table><p>The {} pairs with the most deaths over the run, of {} (every pair, week by week, and the cause, in <code>dyads.csv</code>).</p>",
        ROWS.min(ranked.len()),
        ranked.len()
    );
    out
}

pub fn html(w: &World, rec: &Recorder) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html><head><meta charset='utf-8'><title>sahel: {name}</title><style>body{{font-family:sans-serif;max-width:1100px;margin:1em auto}}figure{{display:inline-block;margin:0.5em}}figcaption{{font-weight:bold}}</style></head><body><h1>sahel run: {name}</h1><p>Seed {seed}, {agents} agents of {ppa} persons, {weeks} weeks. A tool for comparing scenarios under stated assumptions, not an oracle: its numbers are conditional on its mechanisms and parameters (docs/odd.md).</p>",
        name = esc(&w.sc.name),
        seed = w.seed,
        agents = w.agents(),
        ppa = w.ppa,
        weeks = w.step
    );
    let t = |d: &crate::calendar::Date| {
        let (y, m, dd) = d.ymd();
        y as f64 + (m as f64 - 1.0) / 12.0 + (dd as f64 - 1.0) / 365.0
    };
    let yearly: Vec<(f64, f64)> = rec.yearly_deaths.iter().map(|&(y, d)| (y as f64 + 0.5, d)).collect();
    let observed: Vec<(f64, f64)> = OBSERVED
        .lines()
        .filter(|l| l.contains(",deaths_organised_violence,Mali,"))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((f[0].parse::<f64>().ok()? + 0.5, f[3].parse().ok()?))
        })
        .collect();
    out.push_str(&line_chart(
        "Deaths per year (line: simulated; dots: UCDP GED observed)",
        &yearly,
        "persons",
        &observed,
    ));
    let series = |k: usize| rec.national.iter().map(|(d, v)| (t(d), v[k])).collect::<Vec<_>>();
    out.push_str(&line_chart("Deaths per week", &series(0), "persons", &[]));
    out.push_str(&line_chart("Internally displaced (stock)", &series(1), "persons", &[]));
    out.push_str(&line_chart("Refugees abroad (stock)", &series(2), "persons", &[]));
    out.push_str(&line_chart("State side's control of the north (population share)", &series(3), "share", &[]));
    out.push_str(&line_chart("Accord implementation (0-1)", &series(4), "share", &[]));
    out.push_str(&line_chart("Active civilians", &series(5), "persons", &[]));
    out.push_str(&dyad_table(rec));
    // maps
    out.push_str("<h2>Who holds the land</h2><p>");
    let colour = |a: usize| match w.actors[a].kind {
        Kind::State => "#2e86c1",
        Kind::Militia => "#85c1e9",
        Kind::Rebel => "#f5b041",
        Kind::Jihadist => "#1c1c1c",
        Kind::Foreign => "#27ae60",
    };
    for kind in [Kind::State, Kind::Militia, Kind::Rebel, Kind::Jihadist] {
        let a = w.actors.iter().position(|x| x.kind == kind);
        if let Some(a) = a {
            let _ = write!(out, "<span style='color:{}'>&#9632;</span> {:?} ", colour(a), kind);
        }
    }
    out.push_str("</p>");
    let r = &w.raster;
    // four maps: the first and last snapshots and two between
    let n = rec.snapshots.len();
    let mut picks: Vec<usize> = if n <= 4 { (0..n).collect() } else { vec![0, n / 3, 2 * n / 3, n - 1] };
    picks.dedup();
    for k in picks {
        let (date, ctl) = &rec.snapshots[k];
        let _ = write!(
            out,
            "<figure><figcaption>{date}</figcaption><svg viewBox='0 0 {} {}' width='260'>",
            r.width, r.height
        );
        // one rectangle per run of cells of one holder along a row
        let mut c = 0;
        while c < r.len() {
            let g = r.grid_index[c];
            let mut len = 1;
            while c + len < r.len()
                && r.grid_index[c + len] == g + len as u32
                && ctl[c + len] == ctl[c]
                && !(g + len as u32).is_multiple_of(r.width)
            {
                len += 1;
            }
            let _ = write!(
                out,
                "<rect x='{}' y='{}' width='{len}' height='1' fill='{}'/>",
                g % r.width,
                g / r.width,
                colour(ctl[c] as usize)
            );
            c += len;
        }
        out.push_str("</svg></figure>");
    }
    out.push_str("</body></html>\n");
    out
}
