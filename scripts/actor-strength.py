#!/usr/bin/env python3
"""An actor's fighters on a date, over the runs of an ensemble.

    python3 scripts/actor-strength.py --actor CMA --date 2017-12-31 RUN_DIR...

Each RUN_DIR is a `sahel run` output folder. For each run it reads `series.csv`
(scope `Mali`, indicator `fighters.ACTOR`) and takes the last value dated on or
before DATE. Prints one line per run, then how many runs have any fighters and
the median (the mean of the two middle values for an even count).
Standard library only.
"""
import argparse
import csv
import statistics
import sys


def strength(run_dir, actor, date):
    key = "fighters." + actor
    value = None
    with open(run_dir + "/series.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["scope"] == "Mali" and row["indicator"] == key and row["date"] <= date:
                value = float(row["value"])
    if value is None:
        sys.exit(f"{run_dir}/series.csv: no `{key}` on or before {date}")
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actor", required=True)
    ap.add_argument("--date", required=True, help="YYYY-MM-DD")
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    values = []
    for r in a.runs:
        v = strength(r, a.actor, a.date)
        values.append(v)
        print(f"{r}\t{v:.0f}")
    with_any = sum(1 for v in values if v > 0)
    print(f"{a.actor} on {a.date}: fighters in {with_any} of {len(values)} runs; "
          f"median {statistics.median(values):.0f}")


if __name__ == "__main__":
    main()
