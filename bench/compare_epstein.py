#!/usr/bin/env python3
"""Compare two sets of Epstein civil-violence runs (e.g. Mesa vs sahel).

Usage::

    compare_epstein.py DIR_A DIR_B [--label-a mesa] [--label-b sahel]
                       [--alpha 0.01] [--from-step 1] [--json OUT.json]

Each DIR holds one run per seed, found in either layout:

* ``DIR/<name>/series.csv`` -- one sub-folder per run (sahel's ``--out``
  folders, and ``mesa_epstein.py``'s ``seed-S`` folders); or
* ``DIR/<name>.csv`` -- flat files, one per run.

A series file is a CSV whose first columns are ``step,quiet,active,jailed``
(further columns are ignored), one row per step, step 0 = initial state.

Per run it computes, over the steps ``>= --from-step`` (default 1, i.e. the
initial state is *excluded* -- it is all-quiet in both models and would only
dilute the means; pass ``--from-step 0`` to include it):

* ``mean_active``  -- mean number of active citizens per step,
* ``mean_jailed``  -- mean number of jailed citizens per step,
* ``peak_active``  -- maximum number of active citizens in any one step.

For each metric the per-seed values of A and B are compared as two
independent samples with the two-sided two-sample Kolmogorov-Smirnov test
(``scipy.stats.ks_2samp``) and the two-sided Mann-Whitney U test
(``scipy.stats.mannwhitneyu``).  A metric is called "different" if either
p-value is below ``--alpha`` (default 0.01), else "indistinguishable".  The
overall verdict is "different" if any metric is; because that is 3 metrics x
2 tests, a Bonferroni-corrected overall verdict (alpha / 6) is printed too.
If both samples of a metric are one and the same constant (e.g. no citizen
ever turns active in either), the tests are undefined and the metric is
reported as "indistinguishable" with p = 1.

With ``--trajectory N`` it also prints, for steps 0..N, the mean over seeds
of the active and jailed counts of A and B and a Mann-Whitney p-value per step
and count (no multiple-test correction: a locator for where two sets part,
not a test).

If the run folders also hold a ``run.json`` with ``step_loop_seconds`` and
``wall_seconds`` (both ``mesa_epstein.py`` and ``sahel run`` write one), the
mean step-loop time per step and the mean in-process wall time per run of A
and B and their ratios A/B are reported; if a DIR holds a
``proc_seconds.tsv`` (lines ``<run name>\\t<seconds>``, written by
``epstein_vs_mesa.sh`` around each whole process) the whole-process times and
their ratio are reported as well.

The exit status is 0 whatever the verdict (2 on bad input).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
import warnings
from pathlib import Path

import numpy as np
from scipy import stats

METRICS = ("mean_active", "mean_jailed", "peak_active")


def find_series(root: Path) -> dict[str, Path]:
    """Map run name -> series CSV path under ``root`` (see module docstring)."""
    found: dict[str, Path] = {}
    for sub in sorted(root.iterdir()):
        if sub.is_dir() and (sub / "series.csv").is_file():
            found[sub.name] = sub / "series.csv"
    if not found:
        for f in sorted(root.glob("*.csv")):
            found[f.stem] = f
    return found


def read_series(path: Path) -> np.ndarray:
    """Read ``step,quiet,active,jailed`` into an int array of shape (n, 4)."""
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader)]
        want = ["step", "quiet", "active", "jailed"]
        if header[:4] != want:
            raise ValueError(f"{path}: header starts {header[:4]}, expected {want}")
        rows = [[int(float(x)) for x in r[:4]] for r in reader if r]
    arr = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
    if len(arr) and not np.array_equal(arr[:, 0], np.arange(arr[0, 0], arr[0, 0] + len(arr))):
        raise ValueError(f"{path}: steps are not consecutive")
    return arr


def run_metrics(arr: np.ndarray, from_step: int) -> dict[str, float]:
    sel = arr[arr[:, 0] >= from_step]
    if len(sel) == 0:
        raise ValueError("no steps at or after --from-step")
    active, jailed = sel[:, 2], sel[:, 3]
    return {
        "mean_active": float(active.mean()),
        "mean_jailed": float(jailed.mean()),
        "peak_active": float(active.max()),
    }


def load_set(root: Path, from_step: int) -> dict:
    series = find_series(root)
    if not series:
        raise ValueError(f"no series found under {root}")
    per_run: dict[str, dict[str, float]] = {}
    last: dict[str, int] = {}
    arrays: dict[str, np.ndarray] = {}
    for name, path in series.items():
        arr = read_series(path)
        last[name] = int(arr[-1, 0]) if len(arr) else -1
        per_run[name] = run_metrics(arr, from_step)
        arrays[name] = arr
    return {"root": str(root), "runs": per_run, "last_step": last,
            "last_steps": sorted(set(last.values())), "_arrays": arrays}


def trajectory(set_a: dict, set_b: dict, upto: int) -> list[dict]:
    """Per step 0..upto: mean active/jailed over runs of A and B, MWU p per step."""
    out = []
    for step in range(upto + 1):
        row: dict = {"step": step}
        for col, key in ((2, "active"), (3, "jailed")):
            va = [float(a[a[:, 0] == step, col][0]) for a in set_a["_arrays"].values()
                  if (a[:, 0] == step).any()]
            vb = [float(b[b[:, 0] == step, col][0]) for b in set_b["_arrays"].values()
                  if (b[:, 0] == step).any()]
            if not va or not vb:
                return out
            row[f"{key}_a"] = statistics.fmean(va)
            row[f"{key}_b"] = statistics.fmean(vb)
            row[f"{key}_mwu_p"] = two_sample(va, vb)["mwu_p"]
        out.append(row)
    return out


def two_sample(a: list[float], b: list[float]) -> dict:
    """KS and Mann-Whitney U, two-sided; undefined cases handled."""
    out: dict = {}
    if len(set(a) | set(b)) == 1:
        return {"ks_D": 0.0, "ks_p": 1.0, "mwu_U": len(a) * len(b) / 2, "mwu_p": 1.0,
                "note": "both samples are the same constant"}
    with warnings.catch_warnings():
        # with ties scipy falls back from the exact to the asymptotic p (and says so)
        warnings.filterwarnings("ignore", message="ks_2samp: Exact calculation unsuccessful")
        ks = stats.ks_2samp(a, b, alternative="two-sided")
    out["ks_D"], out["ks_p"] = float(ks.statistic), float(ks.pvalue)
    mw = stats.mannwhitneyu(a, b, alternative="two-sided")
    out["mwu_U"], out["mwu_p"] = float(mw.statistic), float(mw.pvalue)
    return out


def summary(x: list[float]) -> dict:
    return {
        "n": len(x),
        "mean": statistics.fmean(x),
        "sd": statistics.stdev(x) if len(x) > 1 else 0.0,
        "median": statistics.median(x),
        "min": min(x),
        "max": max(x),
    }


def read_run_times(root: Path, steps_by_run: dict[str, int]) -> tuple[list[float], list[float]]:
    """Per run: step-loop seconds per step, and in-process ``wall_seconds``.

    Read from ``<root>/<run>/run.json``; the step count is the file's ``steps``
    if present, else the last step of the run's series.
    """
    per_step, wall = [], []
    for name, last_step in steps_by_run.items():
        p = root / name / "run.json"
        if not p.is_file():
            continue
        try:
            info = json.loads(p.read_text())
        except ValueError:
            continue
        secs = info.get("step_loop_seconds")
        steps = info.get("steps") or last_step
        if secs is not None and steps:
            per_step.append(float(secs) / float(steps))
        if info.get("wall_seconds") is not None:
            wall.append(float(info["wall_seconds"]))
    return per_step, wall


def read_proc_times(root: Path) -> list[float]:
    p = root / "proc_seconds.tsv"
    if not p.is_file():
        return []
    vals = []
    for line in p.read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                vals.append(float(parts[1]))
            except ValueError:
                pass
    return vals


def fmt_p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "nan"
    return f"{p:.2e}" if p < 1e-3 else f"{p:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring for details.")
    ap.add_argument("dir_a", type=Path)
    ap.add_argument("dir_b", type=Path)
    ap.add_argument("--label-a", default="A")
    ap.add_argument("--label-b", default="B")
    ap.add_argument("--alpha", type=float, default=0.01,
                    help="significance level (default 0.01)")
    ap.add_argument("--from-step", type=int, default=1,
                    help="first step included in the metrics (default 1: initial state excluded)")
    ap.add_argument("--title", default=None, help="heading for the printed table")
    ap.add_argument("--json", type=Path, default=None, help="write the results here")
    ap.add_argument("--trajectory", type=int, default=0, metavar="N",
                    help="also print per-step means over runs for steps 0..N (default 0: off)")
    args = ap.parse_args(argv)

    try:
        set_a = load_set(args.dir_a, args.from_step)
        set_b = load_set(args.dir_b, args.from_step)
    except (OSError, ValueError, StopIteration) as e:
        print(f"compare_epstein: {e}", file=sys.stderr)
        return 2

    la, lb = args.label_a, args.label_b
    n_tests = 2 * len(METRICS)
    result: dict = {
        "title": args.title,
        "labels": [la, lb],
        "alpha": args.alpha,
        "from_step": args.from_step,
        "sets": {la: {k: v for k, v in set_a.items() if not k.startswith("_")},
                 lb: {k: v for k, v in set_b.items() if not k.startswith("_")}},
        "metrics": {},
    }
    if args.title:
        print(f"== {args.title}")
    print(f"{la}: {len(set_a['runs'])} runs from {args.dir_a} (last step {set_a['last_steps']})")
    print(f"{lb}: {len(set_b['runs'])} runs from {args.dir_b} (last step {set_b['last_steps']})")
    if set_a["last_steps"] != set_b["last_steps"]:
        print("WARNING: the two sets have runs of different lengths")
    print(f"metrics over steps >= {args.from_step}; alpha = {args.alpha}")
    na, nb = len(set_a["runs"]), len(set_b["runs"])
    p_floor = 2 / math.comb(na + nb, na)  # smallest two-sided p of either exact test
    if p_floor >= args.alpha:
        print(f"NOTE: with {na} and {nb} runs no p-value can fall below {p_floor:.3g}, "
              f"so nothing can be called different at alpha {args.alpha}; use more seeds")
    result["p_floor"] = p_floor
    head = (f"{'metric':<12} {la + ' mean±sd':>20} {lb + ' mean±sd':>20} "
            f"{'KS D':>6} {'KS p':>9} {'MWU p':>9}  verdict")
    print(head)
    print("-" * len(head))
    any_diff = False
    any_diff_bonf = False
    for m in METRICS:
        a = [r[m] for r in set_a["runs"].values()]
        b = [r[m] for r in set_b["runs"].values()]
        t = two_sample(a, b)
        pmin = min(t["ks_p"], t["mwu_p"])
        verdict = "different" if pmin < args.alpha else "indistinguishable"
        any_diff |= pmin < args.alpha
        any_diff_bonf |= pmin < args.alpha / n_tests
        sa, sb = summary(a), summary(b)
        result["metrics"][m] = {la: sa, lb: sb, **t, "verdict": verdict}
        print(f"{m:<12} {sa['mean']:>11.2f} ±{sa['sd']:>7.2f} {sb['mean']:>11.2f} ±{sb['sd']:>7.2f} "
              f"{t['ks_D']:>6.3f} {fmt_p(t['ks_p']):>9} {fmt_p(t['mwu_p']):>9}  {verdict}")
    overall = "different" if any_diff else "indistinguishable"
    overall_bonf = "different" if any_diff_bonf else "indistinguishable"
    result["verdict"] = overall
    result["verdict_bonferroni"] = overall_bonf
    print(f"overall: {overall}  (Bonferroni over {n_tests} tests, alpha/{n_tests}: {overall_bonf})")

    if args.trajectory > 0:
        traj = trajectory(set_a, set_b, args.trajectory)
        result["trajectory"] = traj
        print(f"per-step means over runs (MWU p per step, uncorrected):")
        print(f"{'step':>4} {'active ' + la:>14} {'active ' + lb:>14} {'p':>9} "
              f"{'jailed ' + la:>14} {'jailed ' + lb:>14} {'p':>9}")
        for r in traj:
            print(f"{r['step']:>4} {r['active_a']:>14.1f} {r['active_b']:>14.1f} {fmt_p(r['active_mwu_p']):>9} "
                  f"{r['jailed_a']:>14.1f} {r['jailed_b']:>14.1f} {fmt_p(r['jailed_mwu_p']):>9}")

    # Timing, if the run folders carry it.
    timing: dict = {}
    ta, wa = read_run_times(args.dir_a, set_a["last_step"])
    tb, wb = read_run_times(args.dir_b, set_b["last_step"])
    if ta and tb:
        ma, mb = statistics.fmean(ta), statistics.fmean(tb)
        timing["step_loop_seconds_per_step"] = {la: summary(ta), lb: summary(tb),
                                                "ratio_a_over_b": ma / mb if mb > 0 else None}
        ratio = f"{ma / mb:.1f}x" if mb > 0 else "inf"
        print(f"step loop:     {la} {ma * 1e3:.4f} ms/step, {lb} {mb * 1e3:.4f} ms/step; "
              f"{la}/{lb} = {ratio}  (means over {len(ta)} / {len(tb)} runs)")
    if wa and wb:
        ma, mb = statistics.fmean(wa), statistics.fmean(wb)
        timing["wall_seconds"] = {la: summary(wa), lb: summary(wb),
                                  "ratio_a_over_b": ma / mb if mb > 0 else None}
        ratio = f"{ma / mb:.1f}x" if mb > 0 else "inf"
        print(f"run wall:      {la} {ma:.4f} s/run, {lb} {mb:.4f} s/run; "
              f"{la}/{lb} = {ratio}  (run.json wall_seconds)")
    pa, pb = read_proc_times(args.dir_a), read_proc_times(args.dir_b)
    if pa and pb:
        ma, mb = statistics.fmean(pa), statistics.fmean(pb)
        timing["process_seconds"] = {la: summary(pa), lb: summary(pb),
                                     "ratio_a_over_b": ma / mb if mb > 0 else None}
        ratio = f"{ma / mb:.1f}x" if mb > 0 else "inf"
        print(f"whole process: {la} {ma:.3f} s/run, {lb} {mb:.3f} s/run; "
              f"{la}/{lb} = {ratio}  (means over {len(pa)} / {len(pb)} processes)")
    if timing:
        result["timing"] = timing

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
