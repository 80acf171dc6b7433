#!/usr/bin/env bash
# Side-by-side benchmark: sahel's `epstein-mesa` scenario vs Mesa 3.5.1's own
# bundled Epstein civil-violence example.
#
#   (a) bench/mesa_setup.sh makes bench/.venv (Mesa 3.5.1 + scipy);
#   (b) cargo build --release  ->  target/release/sahel;
#   (c) for two regimes on Mesa's 40x40 torus (citizen_density 0.7, vision 7/7)
#         quiet    : cop_density 0.074, legitimacy 0.8,  max_jail_term 1000
#                    (Mesa's EpsteinScenario defaults)
#         uprising : cop_density 0.04,  legitimacy 0.82, max_jail_term 30
#                    (the slider defaults of Mesa's app.py)
#       runs, for seeds 1..SEEDS and STEPS steps, one process per run:
#         mesa          bench/mesa_epstein.py (Mesa's own model)
#         sahel-mesa    sahel run epstein-mesa ...                 (must match)
#         sahel-netlogo sahel run epstein-mesa ... --set variant=netlogo
#                       (the control the test must tell apart)
#   (d) compares mesa vs sahel-mesa and mesa vs sahel-netlogo per regime with
#       bench/compare_epstein.py (KS + Mann-Whitney on per-seed mean active,
#       mean jailed, peak active over steps >= 1);
#   (e) reports step-loop time per step (Mesa / sahel) and whole-process time
#       per run (Mesa / sahel), each process timed with `date +%s.%N`.
#
# The report goes to stdout and to bench/results/epstein-vs-mesa-<date>.txt
# (with the comparisons' JSON beside it as .json).
#
# Environment:
#   SEEDS=30         number of seeds (1..SEEDS)
#   STEPS=200        steps per run
#   ALPHA=0.01       significance level
#   SAHEL_THREADS=   if set, passed as `--threads N` to sahel (default: sahel's own)
#   SAHEL_BIN=       sahel binary (default target/release/sahel); it is copied
#                    into the work folder first, so a rebuild during the
#                    benchmark cannot swap it mid-run
#   SAHEL_EXTRA=     extra sahel arms with Mesa's rules, compared with Mesa
#                    like the others: any of
#                      threads1  sahel run epstein-mesa --threads 1
#                      parallel  sahel run epstein-mesa --set scheduler=parallel
#                    e.g. SAHEL_EXTRA="threads1 parallel"
#   TRAJECTORY=10    per-step means (active, jailed) over seeds for steps
#                    0..TRAJECTORY in each comparison (0: off)
#   SKIP_BUILD=1     do not run cargo build
#   KEEP_WORK=1      keep the temporary run folders (their path is printed)
#   REGIMES="quiet uprising"   which regimes to run
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SEEDS="${SEEDS:-30}"
STEPS="${STEPS:-200}"
ALPHA="${ALPHA:-0.01}"
TRAJECTORY="${TRAJECTORY:-10}"
REGIMES="${REGIMES:-quiet uprising}"
SAHEL="${SAHEL_BIN:-$ROOT/target/release/sahel}"
SAHEL_EXTRA="${SAHEL_EXTRA:-}"
THREAD_ARGS=()
[ -n "${SAHEL_THREADS:-}" ] && THREAD_ARGS=(--threads "$SAHEL_THREADS")

# Arms: "mesa" and "netlogo" always, then SAHEL_EXTRA.
ARMS=(mesa netlogo)
for a in $SAHEL_EXTRA; do
  case "$a" in
    threads1|parallel) ARMS+=("$a") ;;
    *) echo "unknown SAHEL_EXTRA arm '$a' (known: threads1 parallel)" >&2; exit 2 ;;
  esac
done
# arm_args ARM: sets the array EXTRA to the sahel arguments of an arm.
arm_args() {
  EXTRA=(${THREAD_ARGS[@]+"${THREAD_ARGS[@]}"})
  case "$1" in
    mesa)     ;;
    netlogo)  EXTRA+=(--set variant=netlogo) ;;
    threads1) EXTRA=(--threads 1) ;;
    parallel) EXTRA+=(--set scheduler=parallel) ;;
  esac
}
arm_title() {
  case "$1" in
    mesa)     echo "variant=mesa" ;;
    netlogo)  echo "variant=netlogo, control: should be different" ;;
    threads1) echo "variant=mesa, --threads 1" ;;
    parallel) echo "variant=mesa, --set scheduler=parallel" ;;
  esac
}

progress() { echo "[epstein-vs-mesa] $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# Regime parameters: cop_density legitimacy max_jail_term
regime_params() {
  case "$1" in
    quiet)    echo "0.074 0.8 1000" ;;
    uprising) echo "0.04 0.82 30" ;;
    *) echo "unknown regime $1" >&2; return 1 ;;
  esac
}

# (a) Mesa venv
progress "setting up Mesa venv"
PY="$(bash "$ROOT/bench/mesa_setup.sh" | tail -n 1)"

# (b) sahel
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  progress "cargo build --release"
  cargo build --release >&2
fi
if [ ! -x "$SAHEL" ]; then
  echo "sahel binary not found at $SAHEL" >&2
  exit 1
fi

WORK="$(mktemp -d -t epstein-vs-mesa.XXXXXX)"
if [ "${KEEP_WORK:-0}" = 1 ]; then
  progress "keeping run folders in $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
# Private copy of the binary: a concurrent `cargo build` cannot change it.
cp "$SAHEL" "$WORK/sahel"
SAHEL_ORIG="$SAHEL"
SAHEL="$WORK/sahel"

mkdir -p "$ROOT/bench/results"
STAMP="$(date +%Y-%m-%d)"
RESULTS="$ROOT/bench/results/epstein-vs-mesa-$STAMP.txt"
if [ -e "$RESULTS" ]; then
  STAMP="$STAMP-$(date +%H%M%S)"
  RESULTS="$ROOT/bench/results/epstein-vs-mesa-$STAMP.txt"
fi
RESULTS_JSON="${RESULTS%.txt}.json"
: > "$RESULTS"
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -v '^?? bench/results/' || true)" ]; then
  COMMIT="$COMMIT (dirty)"
fi
CPU="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
say "# Epstein civil violence: sahel epstein-mesa vs Mesa's own example"
say "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "commit:  $COMMIT"
say "machine: $(nproc) cores, ${CPU:-unknown cpu}, $(uname -sr)"
say "mesa:    $("$PY" -c 'import mesa, sys; print(f"Mesa {mesa.__version__} (mesa.examples.advanced.epstein_civil_violence), Python {sys.version.split()[0]}")')"
say "sahel:   $("$SAHEL" --version 2>/dev/null || echo sahel) ($SAHEL_ORIG, sha256 $(sha256sum "$SAHEL" | cut -c1-12))${SAHEL_THREADS:+, --threads $SAHEL_THREADS}"
say "arms:    ${ARMS[*]}"
say "runs:    seeds 1..$SEEDS, $STEPS steps, 40x40 torus, citizen_density 0.7, vision 7/7, alpha $ALPHA"
say ""

JSON_PARTS=()
for regime in $REGIMES; do
  read -r COP LEG JAIL < <(regime_params "$regime")
  W="$WORK/$regime"
  mkdir -p "$W/mesa"
  for arm in "${ARMS[@]}"; do mkdir -p "$W/sahel-$arm"; done
  progress "regime $regime (cop_density $COP, legitimacy $LEG, max_jail_term $JAIL): $SEEDS seeds x $STEPS steps"
  for ((s = 1; s <= SEEDS; s++)); do
    t0="$(now)"
    "$PY" "$ROOT/bench/mesa_epstein.py" --seeds "$s" --steps "$STEPS" --out "$W/mesa" --quiet \
      --width 40 --height 40 --citizen-density 0.7 --citizen-vision 7 --cop-vision 7 \
      --cop-density "$COP" --legitimacy "$LEG" --max-jail-term "$JAIL"
    t1="$(now)"
    printf 'seed-%s\t%s\n' "$s" "$(elapsed "$t0" "$t1")" >> "$W/mesa/proc_seconds.tsv"

    for variant in "${ARMS[@]}"; do
      arm_args "$variant"
      out="$W/sahel-$variant/seed-$s"
      log="$W/sahel-$variant.seed-$s.log"
      t0="$(now)"
      if ! "$SAHEL" run epstein-mesa --seed "$s" --steps "$STEPS" --out "$out" \
          --set "cop_density=$COP" --set "legitimacy=$LEG" --set "max_jail_term=$JAIL" \
          ${EXTRA[@]+"${EXTRA[@]}"} > "$log" 2>&1; then
        echo "sahel run failed (regime $regime, arm $variant, seed $s):" >&2
        cat "$log" >&2
        exit 1
      fi
      t1="$(now)"
      printf 'seed-%s\t%s\n' "$s" "$(elapsed "$t0" "$t1")" >> "$W/sahel-$variant/proc_seconds.tsv"
    done
    progress "  $regime seed $s done"
  done

  say "## regime $regime: cop_density $COP, legitimacy $LEG, max_jail_term $JAIL"
  say ""
  for variant in "${ARMS[@]}"; do
    J="$WORK/$regime-vs-sahel-$variant.json"
    "$PY" "$ROOT/bench/compare_epstein.py" "$W/mesa" "$W/sahel-$variant" \
      --label-a mesa --label-b "sahel-$variant" --alpha "$ALPHA" --trajectory "$TRAJECTORY" \
      --title "$regime: Mesa vs sahel epstein-mesa ($(arm_title "$variant"))" \
      --json "$J" | tee -a "$RESULTS"
    say ""
    JSON_PARTS+=("$regime:$variant:$J")
  done
done

# Summary of verdicts and timing ratios, and one JSON with everything.
"$PY" - "$RESULTS_JSON" "${JSON_PARTS[@]}" <<'PY' | tee -a "$RESULTS"
import json, sys
out_path, parts = sys.argv[1], sys.argv[2:]
merged = {}
print("## summary")
print(f"{'regime':<9} {'sahel arm':<14} {'verdict':<18} {'Bonferroni':<18} "
      f"{'step loop mesa/sahel':>21} {'run wall mesa/sahel':>20} {'process mesa/sahel':>19}")
for part in parts:
    regime, variant, path = part.split(":", 2)
    with open(path) as fh:
        res = json.load(fh)
    merged.setdefault(regime, {})[f"sahel-{variant}"] = res
    t = res.get("timing", {})
    sl = t.get("step_loop_seconds_per_step", {}).get("ratio_a_over_b")
    rw = t.get("wall_seconds", {}).get("ratio_a_over_b")
    pr = t.get("process_seconds", {}).get("ratio_a_over_b")
    fmt = lambda r: "n/a" if r is None else f"{r:.1f}x"
    print(f"{regime:<9} {variant:<14} {res['verdict']:<18} {res['verdict_bonferroni']:<18} "
          f"{fmt(sl):>21} {fmt(rw):>20} {fmt(pr):>19}")
print("expected: netlogo 'different' (control), every other arm (Mesa's rules) 'indistinguishable'")
print("ratios are Mesa's time / sahel's: step loop = seconds per step inside the loop;")
print("run wall = run.json wall_seconds; process = whole process incl. interpreter start-up")
with open(out_path, "w") as fh:
    json.dump(merged, fh, indent=2)
    fh.write("\n")
PY
progress "report: $RESULTS"
progress "json:   $RESULTS_JSON"
