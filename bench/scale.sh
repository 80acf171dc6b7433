#!/usr/bin/env bash
# Scale benchmark: Epstein at >= 1M agents (default 1200x1200, vision 7, Mesa's rules in the
# uprising regime), parallel scheduler, at 1 and 2 threads. Reports agent-steps per second,
# the 1 -> 2 thread speed-up and peak memory per agent (peak RSS / agents).
# Usage: bash bench/scale.sh   (env: SIZE=1200 STEPS=20 VARIANT=mesa THREADS="1 2")
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-1200}; STEPS=${STEPS:-20}; VARIANT=${VARIANT:-mesa}; THREADS=${THREADS:-"1 2"}
cargo build --release -q
BIN=target/release/sahel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-8s %-8s %-10s %-12s %-14s %-12s\n' threads agents loop_s agent_steps/s peak_rss_MiB bytes/agent
for t in $THREADS; do
  /usr/bin/time -f '%M' -o "$work/rss-$t" "$BIN" run "epstein-$VARIANT" -q --steps "$STEPS" --threads "$t" \
    --set width="$SIZE" --set height="$SIZE" --set scheduler=parallel \
    --set cop_density=0.04 --set legitimacy=0.82 --set max_jail_term=30 --out "$work/o$t"
  python3 - "$work/o$t/run.json" "$(cat "$work/rss-$t")" "$t" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); rss_kib = int(sys.argv[2])
rate = r["agents"] * r["steps"] / r["step_loop_seconds"]
print(f'{sys.argv[3]:<8} {r["agents"]:<8} {r["step_loop_seconds"]:<10.3f} {rate:<12.3e} {rss_kib/1024:<14.1f} {rss_kib*1024/r["agents"]:<12.1f}')
PY
done
cmp -s "$work/o${THREADS%% *}/series.csv" "$work/o${THREADS##* }/series.csv" && echo "series.csv identical across thread counts"
