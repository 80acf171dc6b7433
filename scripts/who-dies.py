#!/usr/bin/env python3
"""Who dies: medians over runs of mali-2012 of the yearly deaths by cause and by side.

Usage: python3 scripts/who-dies.py DIR   (DIR holds one output folder per seed, each
written by `sahel run mali-2012 --seed N --out DIR/sN`). Prints the Markdown table of
docs/validation.md section 2. Each row's median is taken on its own, so rows need not add up.
"""
import collections
import csv
import os
import statistics
import sys

YEARS = range(2012, 2018)
JIHADISTS = ["AQIM", "Ansar Dine", "ISGS", "JNIM", "MUJAO", "Macina Liberation Front", "al-Mourabitoun"]
FOREIGN = ["France", "MINUSMA", "G5 Sahel"]
ROWS = {
    "all": ["deaths"],
    "in standing battles (M5)": ["deaths.battle"],
    "in raids (M5, decided by M10)": ["deaths.raid"],
    "in strikes on foreign forces (M5)": ["deaths.strike"],
    "communal (M11)": ["deaths.communal"],
    "selective (M4)": ["deaths.selective"],
    "of whom foreign soldiers (MINUSMA, France, G5 Sahel)": ["losses." + a for a in FOREIGN],
    "of whom FAMa": ["losses.FAMa"],
    "of whom jihadists": ["losses." + a for a in JIHADISTS],
    "of whom rebels (MNLA, CMA)": ["losses.MNLA", "losses.CMA"],
    "civilians": ["deaths_civilian"],
}


def yearly_totals(series_csv):
    totals = collections.defaultdict(float)
    with open(series_csv, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["scope"] == "Mali":
                totals[(r["indicator"], int(r["date"][:4]))] += float(r["value"])
    return totals


def main(root):
    runs = [yearly_totals(os.path.join(root, d, "series.csv")) for d in sorted(os.listdir(root))]
    print("| deaths | " + " | ".join(map(str, YEARS)) + " |")
    print("|---" * (len(YEARS) + 1) + "|")
    for name, indicators in ROWS.items():
        medians = [statistics.median(sum(t[(i, y)] for i in indicators) for t in runs) for y in YEARS]
        print(f"| {name} | " + " | ".join(f"{m:.0f}" for m in medians) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
