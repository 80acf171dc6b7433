#!/usr/bin/env python3
"""How the patterns P2, P4, P5 and P7 fail, over the runs of an ensemble.

    python3 scripts/why-patterns-fail.py RUN_DIR...

Each RUN_DIR is a `sahel run` output folder of `mali-2012` (one a seed:
`sahel run --seed S --out DIR/sS`). It reads `series.csv` and `run.json` (the
actors' kinds) and breaks each pattern's verdict into its parts, by the same
criteria as `crates/sahel-mali/src/patterns.rs` (docs/validation.md §1):

* P2: who holds Kidal, Gao and Tombouctou on 2012-09-01 (the holder of the
  last week on or before it), and in how many failing runs a rebel holds one;
* P4: each of 2014-2016's deaths over 2013's, and how often each year falls
  below 0.1 or above 0.6;
* P5: 2017's deaths over 2016's (>= 1.5) and the centre's (Mopti, Ségou) share
  of 2017 (>= 0.3);
* P7: the accord's implementation on 2017-12-31 (<= 0.5) and, for the state
  and the CMA, what each perceives of the other's provisions against their
  actual level (perceived < actual).

It prints one line per run, then the counts. docs/validation.md §6 quotes its
counts for the adopted model over seeds 1-20. Standard library only.
"""
import collections
import csv
import json
import sys

NORTH = ["Kidal", "Gao", "Tombouctou"]
CENTRE = ["Mopti", "Ségou"]


def read(run_dir):
    kinds = {a["name"]: a["kind"] for a in json.load(open(run_dir + "/run.json"))["actors"]}
    deaths = collections.defaultdict(float)  # (scope, year) -> deaths
    capital = {}  # (region, actor) -> [(date, value)]
    last = {}  # (scope, indicator) -> value on the last date on or before 2017-12-31
    with open(run_dir + "/series.csv", newline="") as f:
        for r in csv.DictReader(f):
            ind, scope, date = r["indicator"], r["scope"], r["date"]
            if ind == "deaths":
                deaths[(scope, date[:4])] += float(r["value"])
            elif ind.startswith("capital.") and scope in NORTH:
                capital.setdefault((scope, ind[8:]), []).append((date, float(r["value"])))
            elif ind.startswith("accord.") and scope == "Mali" and date <= "2017-12-31":
                last[ind] = float(r["value"])
    return kinds, deaths, capital, last


def holder(capital, region, date):
    best = None
    for (reg, actor), rows in capital.items():
        if reg != region:
            continue
        on = [v for d, v in rows if d <= date]
        if on and on[-1] == 1.0:
            best = actor
    return best


def main():
    runs = sys.argv[1:]
    if not runs:
        sys.exit(__doc__)
    n = collections.Counter()
    for run in runs:
        kinds, deaths, capital, last = read(run)
        parts = []
        # P2
        holders = [holder(capital, r, "2012-09-01") for r in NORTH]
        p2 = all(h is not None and kinds.get(h) == "jihadist" for h in holders)
        n["P2 holds"] += p2
        if not p2 and any(h is not None and kinds.get(h) == "rebel" for h in holders):
            n["P2 fails, a rebel holds a northern capital"] += 1
        parts.append("P2 " + "/".join(h or "-" for h in holders))
        # P4
        d = lambda y: deaths[("Mali", str(y))]
        ratios = [d(y) / max(d(2013), 1e-9) for y in (2014, 2015, 2016)]
        p4 = all(0.1 <= x <= 0.6 for x in ratios)
        n["P4 holds"] += p4
        for y, x in zip((2014, 2015, 2016), ratios):
            if x < 0.1:
                n[f"P4: {y} below 0.1 of 2013"] += 1
            if x > 0.6:
                n[f"P4: {y} above 0.6 of 2013"] += 1
        parts.append("P4 " + " ".join(f"{x:.2f}" for x in ratios))
        # P5
        rise = d(2017) / max(d(2016), 1e-9)
        share = sum(deaths[(r, "2017")] for r in CENTRE) / max(d(2017), 1e-9)
        n["P5 holds"] += rise >= 1.5 and share >= 0.3
        n["P5: 2017 below 1.5 times 2016"] += rise < 1.5
        n["P5: centre's share below 0.3"] += share < 0.3
        parts.append(f"P5 rise {rise:.2f} share {share:.2f}")
        # P7
        state = next((a for a, k in kinds.items() if k == "state"), "")
        impl = last.get("accord.implementation", float("nan"))
        # what each side perceives of the other's provisions, and their actual level
        seen = {p: (last.get(f"accord.perceived.{p}"), last.get(f"accord.others_actual.{p}")) for p in (state, "CMA")}
        blame = all(None not in v and v[0] < v[1] for v in seen.values())
        n["P7 holds"] += impl <= 0.5 and blame
        n["P7: implementation above 0.5"] += impl > 0.5
        n["P7: a side does not perceive less than the other did"] += not blame
        fmt = lambda x: "-" if x is None else f"{x:.2f}"
        parts.append(f"P7 impl {impl:.2f} " + " ".join(f"{p} {fmt(v[0])}/{fmt(v[1])}" for p, v in seen.items()))
        print(run + "\t" + "; ".join(parts))
    print(f"\nover {len(runs)} runs:")
    for k in sorted(n):
        print(f"  {k}: {n[k]}")


if __name__ == "__main__":
    main()
