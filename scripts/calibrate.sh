#!/usr/bin/env bash
# The whole calibration and validation of mali-2012, from one command
# (docs/calibration.md). About 2 hours on 2 cores (the twenty-seventh round's two
# calibrations took 45 and 43 minutes, the latter beside other jobs; each particle's distance is the mean over 2 model
# seeds, the point estimate the best over 10 fresh seeds). It replaces the committed
# posteriors and the point estimate in mali-2012.toml; the pre-registered
# forecast is never overwritten (move it away first to remake it).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
sahel=target/release/sahel
stamp=$(date -u +%Y%m%d-%H%M%S)

# 1. the full calibration (2012-2017); its point estimate goes into the built-in scenario
$sahel calibrate --particles 96 --generations 5 --replicates 2 --point-replicates 10 --fit-combatants --force --write-scenario crates/sahel-mali/scenarios/mali-2012.toml
cargo build --release --locked   # the built-in scenario is embedded: rebuild with the new values

# 2. the rolling-origin calibration: observations to 2015 only
$sahel calibrate --particles 96 --generations 5 --replicates 2 --point-replicates 10 --fit-combatants --force --fit-until 2015-12-31 --out data/calibration/origin-2015

# 3. the scorecard, the ablation and the rolling-origin check
$sahel validate --seeds 20 --out "out/validation-$stamp"
$sahel validate --seeds 20 --ablate m2,m3,m4,m5 --out "out/ablation-$stamp"
$sahel validate --seeds 20 --posterior data/calibration/origin-2015/posterior.csv \
    --origin 2015-12-31 --out "out/rolling-origin-$stamp"

# 4. the pre-registered forecast (from the posterior; nothing after 2017 informs it)
if [ ! -e forecasts/status-quo-2017.csv ]; then
    $sahel forecast --until 2022-12-31 --seeds 50 --posterior data/calibration/posterior.csv \
        --out forecasts/status-quo-2017.csv
fi
