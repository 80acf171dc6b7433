#!/usr/bin/env python3
"""Run Mesa's own bundled Epstein civil-violence example for a list of seeds.

The model is imported from the installed Mesa wheel (never copied):

    mesa.examples.advanced.epstein_civil_violence.model.EpsteinCivilViolence
    mesa.examples.advanced.epstein_civil_violence.model.EpsteinScenario

(Mesa 3.5.1; the venv is made by ``bench/mesa_setup.sh``; Mesa 3.5 needs
Python >= 3.12.)

For every seed S this writes, under ``--out DIR``::

    DIR/seed-S/series.csv   header ``step,quiet,active,jailed``; row 0 is the
                            initial state (after construction, before any
                            step), then one row per step 1..STEPS.
    DIR/seed-S/run.json     parameters, counts of agents, and timings:
                            ``construct_seconds`` (model construction),
                            ``step_loop_seconds`` (time.perf_counter around
                            the ``for _ in range(steps): model.step()`` loop
                            only), ``step_loop_seconds_per_step``, and
                            ``wall_seconds`` (construction + loop + writing).
    DIR/timing.json         the per-seed timings of every seed in DIR, merged
                            with whatever an earlier invocation wrote there,
                            so one process per seed accumulates one file.

Counts: ``quiet``/``active``/``jailed`` are the model's own attributes
``QUIET``/``ACTIVE``/``ARRESTED`` that ``EpsteinCivilViolence._update_counts``
sets at the end of ``__init__`` and of every ``step()``; these are exactly
what the example's DataCollector records (model reporters ``quiet``,
``active``, ``arrested``; it collects once in ``__init__`` -- the step-0
row -- and once per step).  The script cross-checks its own rows against the
DataCollector's table unless ``--no-datacollector`` is given.  ``jailed`` is
Mesa's ARRESTED state: it includes a citizen whose sentence has just run out
but who has not acted yet this step (see the rules in the report/README).

``--no-datacollector`` replaces the model's ``datacollector.collect`` with a
no-op after construction (the example also collects two *agent* reporters for
every agent every step, which costs time), to time the dynamics alone.  The
default times Mesa's example exactly as shipped.

Seeds: Mesa seeds ``model.random`` (stdlib ``random.Random``) with the
integer ``rng`` of the scenario; the example draws all randomness from it.

Example::

    bench/.venv/bin/python bench/mesa_epstein.py --seeds 1-3 --steps 50 \\
        --out /tmp/mesa-out --cop-density 0.04 --legitimacy 0.82 \\
        --max-jail-term 30
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from pathlib import Path

MODULE = "mesa.examples.advanced.epstein_civil_violence"


def parse_seeds(text: str) -> list[int]:
    """Parse ``"1,2,5-9"`` into ``[1, 2, 5, 6, 7, 8, 9]`` (non-negative seeds)."""
    seeds: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            lo, hi = part.split("-", 1)
            a, b = int(lo), int(hi)
            if b < a:
                raise argparse.ArgumentTypeError(f"bad seed range {part!r}")
            seeds.extend(range(a, b + 1))
        else:
            seeds.append(int(part))
    if not seeds:
        raise argparse.ArgumentTypeError("no seeds given")
    return seeds


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--seeds", type=parse_seeds, default=parse_seeds("1"),
                   help="seeds, e.g. '1,2,3' or '1-30' (default: 1)")
    p.add_argument("--steps", type=int, default=200, help="steps per run (default 200)")
    p.add_argument("--out", type=Path, required=True,
                   help="output folder (created; existing seed-S folders are overwritten)")
    # Defaults are the EpsteinScenario defaults of Mesa 3.5.1.
    p.add_argument("--width", type=int, default=40)
    p.add_argument("--height", type=int, default=40)
    p.add_argument("--citizen-density", type=float, default=0.7)
    p.add_argument("--cop-density", type=float, default=0.074)
    p.add_argument("--citizen-vision", type=int, default=7,
                   help="passed to the scenario; NOTE Mesa's example never reads it "
                        "(citizens use cop_vision)")
    p.add_argument("--cop-vision", type=int, default=7)
    p.add_argument("--legitimacy", type=float, default=0.8)
    p.add_argument("--max-jail-term", type=int, default=1000)
    p.add_argument("--no-datacollector", action="store_true",
                   help="disable the example's DataCollector after construction "
                        "(times the dynamics without Mesa's per-agent reporters)")
    p.add_argument("--quiet", action="store_true", help="print nothing per seed")
    return p


def run_seed(args: argparse.Namespace, seed: int):
    """Build and run one model; return (rows, info dict)."""
    from mesa.examples.advanced.epstein_civil_violence.agents import Citizen, Cop
    from mesa.examples.advanced.epstein_civil_violence.model import (
        EpsteinCivilViolence,
        EpsteinScenario,
    )

    t_wall0 = time.perf_counter()
    t0 = time.perf_counter()
    scenario = EpsteinScenario(
        rng=seed,
        citizen_density=args.citizen_density,
        cop_density=args.cop_density,
        citizen_vision=args.citizen_vision,
        cop_vision=args.cop_vision,
        legitimacy=args.legitimacy,
        max_jail_term=args.max_jail_term,
    )
    model = EpsteinCivilViolence(width=args.width, height=args.height, scenario=scenario)
    construct_seconds = time.perf_counter() - t0

    if args.no_datacollector:
        model.datacollector.collect = lambda _model: None

    def counts() -> tuple[int, int, int]:
        return (int(model.QUIET), int(model.ACTIVE), int(model.ARRESTED))

    rows = [(0, *counts())]
    steps = args.steps
    step = model.step
    # Only the step loop is timed; reading the three counters afterwards is
    # done outside it so that the loop is exactly Mesa's own step().
    snapshots: list[tuple[int, int, int]] = []
    append = snapshots.append
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
        append((model.QUIET, model.ACTIVE, model.ARRESTED))
    step_loop_seconds = time.perf_counter() - t0
    rows.extend((i + 1, int(q), int(a), int(j)) for i, (q, a, j) in enumerate(snapshots))

    if model.steps != steps:
        raise RuntimeError(f"model.steps={model.steps}, expected {steps}")

    if not args.no_datacollector:
        df = model.datacollector.get_model_vars_dataframe()
        if len(df) != steps + 1:
            raise RuntimeError(f"datacollector has {len(df)} rows, expected {steps + 1}")
        for (s, q, a, j), (_, rec) in zip(rows, df.iterrows()):
            if (q, a, j) != (int(rec["quiet"]), int(rec["active"]), int(rec["arrested"])):
                raise RuntimeError(f"seed {seed} step {s}: counts differ from datacollector")

    n_citizens = len(model.agents_by_type[Citizen])
    n_cops = len(model.agents_by_type[Cop]) if Cop in model.agents_by_type else 0
    for s, q, a, j in rows:
        if q + a + j != n_citizens:
            raise RuntimeError(f"seed {seed} step {s}: {q}+{a}+{j} != {n_citizens} citizens")

    info = {
        "seed": seed,
        "steps": steps,
        "params": {
            "width": args.width,
            "height": args.height,
            "citizen_density": args.citizen_density,
            "cop_density": args.cop_density,
            "citizen_vision": args.citizen_vision,
            "cop_vision": args.cop_vision,
            "legitimacy": args.legitimacy,
            "max_jail_term": args.max_jail_term,
        },
        "citizens": n_citizens,
        "cops": n_cops,
        "datacollector": not args.no_datacollector,
        "construct_seconds": construct_seconds,
        "step_loop_seconds": step_loop_seconds,
        "step_loop_seconds_per_step": step_loop_seconds / steps if steps else None,
    }
    info["_t_wall0"] = t_wall0
    return rows, info


def write_seed(out: Path, rows, info) -> None:
    d = out / f"seed-{info['seed']}"
    d.mkdir(parents=True, exist_ok=True)
    with open(d / "series.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["step", "quiet", "active", "jailed"])
        w.writerows(rows)
    t_wall0 = info.pop("_t_wall0")
    info["wall_seconds"] = time.perf_counter() - t_wall0
    with open(d / "run.json", "w") as fh:
        json.dump(info, fh, indent=2)
        fh.write("\n")


def merge_timing(out: Path, infos: list[dict]) -> None:
    import mesa

    path = out / "timing.json"
    data: dict = {}
    if path.exists():
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            data = {}
    data["implementation"] = f"mesa {mesa.__version__} ({MODULE})"
    data["python"] = platform.python_version()
    seeds = data.setdefault("seeds", {})
    for info in infos:
        seeds[str(info["seed"])] = {
            k: info[k]
            for k in ("steps", "citizens", "cops", "datacollector", "construct_seconds",
                      "step_loop_seconds", "step_loop_seconds_per_step", "wall_seconds")
        }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.steps < 0:
        print("--steps must be >= 0", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    infos = []
    for seed in args.seeds:
        rows, info = run_seed(args, seed)
        write_seed(args.out, rows, info)
        infos.append(info)
        if not args.quiet:
            last = rows[-1]
            per = info["step_loop_seconds_per_step"]
            print(
                f"seed {seed}: {info['citizens']} citizens, {info['cops']} cops; "
                f"construct {info['construct_seconds'] * 1e3:.1f} ms, "
                f"{args.steps} steps {info['step_loop_seconds']:.3f} s"
                + (f" ({per * 1e3:.2f} ms/step)" if per else "")
                + f"; final quiet/active/jailed {last[1]}/{last[2]}/{last[3]}",
                flush=True,
            )
    merge_timing(args.out, infos)
    return 0


if __name__ == "__main__":
    sys.exit(main())
