#!/usr/bin/env python3
"""Who killed whom in a year, over the runs of an ensemble.

    python3 scripts/who-killed-whom.py --year 2013 RUN_DIR...

Each RUN_DIR is a `sahel run` output folder. For each run it sums `dyads.csv`
(`date,step,victim,killer,cause,persons`) over the rows dated in YEAR, by
(victim, killer, cause), and prints, for every triple with deaths in any run,
the median over the runs (a run without it counts 0; the mean of the two
middle values for an even count) and the 5th and 95th percentiles (nearest
rank), largest median first. With --group, actors are replaced by their kind
(from run.json: state, rebel, jihadist, militia, foreign). Standard library only.
"""
import argparse
import collections
import csv
import json
import math
import statistics


def year_totals(run_dir, year, group):
    kinds = {}
    if group:
        with open(run_dir + "/run.json") as f:
            kinds = {a["name"]: a["kind"] for a in json.load(f)["actors"]}
    out = collections.defaultdict(float)
    with open(run_dir + "/dyads.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["date"][:4] != year:
                continue
            v, k = row["victim"], row["killer"]
            out[(kinds.get(v, v), kinds.get(k, k), row["cause"])] += float(row["persons"])
    return out


def rank(xs, q):
    xs = sorted(xs)
    return xs[max(0, math.ceil(q * len(xs)) - 1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", required=True)
    ap.add_argument("--group", action="store_true", help="actors by kind")
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    per_run = [year_totals(r, a.year, a.group) for r in a.runs]
    keys = sorted(set().union(*per_run))
    rows = []
    for key in keys:
        xs = [t.get(key, 0.0) for t in per_run]
        rows.append((statistics.median(xs), rank(xs, 0.05), rank(xs, 0.95), key))
    rows.sort(key=lambda r: (-r[0], r[3]))
    print(f"{len(a.runs)} runs, {a.year}: victim <- killer (cause): median [5 %, 95 %]")
    for med, lo, hi, (v, k, c) in rows:
        print(f"{v:>24} <- {k:<24} {c:<10} {med:8.1f} [{lo:.1f}, {hi:.1f}]")


if __name__ == "__main__":
    main()
