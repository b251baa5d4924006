#!/usr/bin/env bash
# Regenerates docs/VALIDATION.md from the model itself, so the published validation table
# never goes stale: the status_quo baseline over 20 seeds (100,000 residents, 5 years), the
# eight policy directions with the same seeds, and the path-dependence map (long-run
# cooperation from no and from full initial cooperation over payment x integration, 6 seeds
# of 100,000 residents for 20 years). About 15 minutes on 2 cores.
# Run from anywhere: bash scripts/validation-doc.sh [extra validate options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo run --release --quiet -- validate --seeds 20 --population 100000 --years 5 \
    --format markdown --out docs/VALIDATION.md "$@"
cargo run --release --quiet --example hysteresis -- --seeds 6 --years 20 --population 100000 \
    --markdown >> docs/VALIDATION.md
echo "wrote docs/VALIDATION.md"
