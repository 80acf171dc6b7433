#!/usr/bin/env python3
"""Print the quantities behind the patterns P1-P7 (MODEL-BRIEF.md) from a run folder.

Usage: python3 scripts/patterns.py OUT_DIR
Reads series.csv and run.json; standard library only.
"""
import csv, json, sys
from collections import defaultdict

d = sys.argv[1]
run = json.load(open(f"{d}/run.json"))
kinds = {a["name"]: a["kind"] for a in run["actors"]}
s = defaultdict(dict)  # (scope, indicator) -> {date: value}
for r in csv.DictReader(open(f"{d}/series.csv")):
    s[(r["scope"], r["indicator"])][r["date"]] = float(r["value"])

def at(scope, ind, date):
    xs = s[(scope, ind)]
    ks = sorted(k for k in xs if k <= date)
    return xs[ks[-1]] if ks else None

state_side = [a for a, k in kinds.items() if k in ("state", "foreign")] + ["Platform"]
north = ["Kidal", "Gao", "Tombouctou"]
def holder(region, date):
    for a in kinds:
        if at(region, f"capital.{a}", date) == 1:
            return a
def side_control(region, date):
    return sum(at(region, f"control.{a}", date) or 0 for a in state_side)
year_deaths = defaultdict(float)
for date, v in s[("Mali", "deaths")].items():
    year_deaths[date[:4]] += v
print("deaths by year:", {y: round(v) for y, v in sorted(year_deaths.items())})
for date in ["2012-01-01", "2012-04-15", "2012-09-01", "2013-03-01", "2013-12-31", "2015-06-30", "2017-12-31"]:
    print(date, "capitals:", {r: holder(r, date) for r in north}, "state-side control:", {r: round(side_control(r, date), 2) for r in north})
idps = s[("Mali", "idps")]
peak = max(idps, key=idps.get)
print("idps peak", peak, round(idps[peak]), "2016-08-01:", at("Mali", "idps", "2016-08-01"), "refugees 2013-01:", at("Mali", "refugees", "2013-01-31"))
for p in ["FAMa", "CMA", "Platform"]:
    print("accord", p, "impl", at("Mali", f"accord.implementation.{p}", "2017-12-31"), "perceived", at("Mali", f"accord.perceived.{p}", "2017-12-31"), "others actual", at("Mali", f"accord.others_actual.{p}", "2017-12-31"))
print("accord.implementation 2017-12-31", at("Mali", "accord.implementation", "2017-12-31"))
cent = sum(v for dte, v in s[("Mopti", "deaths")].items() if dte.startswith("2017")) + sum(v for dte, v in s[("Ségou", "deaths")].items() if dte.startswith("2017"))
print("centre share of 2017 deaths", round(cent / max(1, year_deaths["2017"]), 2))
for a in kinds:
    f = [at("Mali", f"fighters.{a}", y) for y in ["2012-01-01", "2012-07-01", "2013-07-01", "2015-07-01", "2017-12-31"]]
    print("fighters", a, [round(x or 0) for x in f])
