#!/usr/bin/env bash
# Mali model at scale: the 2012-2017 run of mali-2012 at several people-per-agent
# settings, down to one agent per person (about 16 million agents). Reports
# agents, wall time, agent-steps per second and peak memory per agent.
# Usage: bash bench/mali_scale.sh            (env: PPA="100 25 1" THREADS=2)
# Goals (issue): people_per_agent = 1 in <= 5 minutes and <= 40 bytes per agent.
set -euo pipefail
cd "$(dirname "$0")/.."
PPA=${PPA:-"100 25 1"}; THREADS=${THREADS:-2}
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-8s %-10s %-10s %-14s %-14s %-12s\n' ppa agents wall_s agent_steps/s peak_rss_MiB bytes/agent
for p in $PPA; do
  /usr/bin/time -f '%e %M' -o "$work/t$p" target/release/sahel run mali-2012 -q --threads "$THREADS" \
    --set people_per_agent="$p" --out "$work/o$p"
  python3 - "$work/o$p/run.json" "$work/t$p" "$p" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); wall, rss_kib = open(sys.argv[2]).read().split()
rate = r["agents"] * r["steps"] / r["step_loop_seconds"]
print(f'{sys.argv[3]:<8} {r["agents"]:<10} {float(wall):<10.1f} {rate:<14.3e} {int(rss_kib)/1024:<14.1f} {int(rss_kib)*1024/r["agents"]:<12.1f}')
PY
done
