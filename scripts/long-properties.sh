#!/usr/bin/env bash
# The long run of the property test (tests/properties.rs): PROPERTY_CASES random scenarios
# (default 10000; CI runs 28), each a year day by day, checked, then run again for
# determinism. Prints the cases and the time taken.
#
#   bash scripts/long-properties.sh           10,000 cases
#   PROPERTY_CASES=500 bash scripts/long-properties.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PROPERTY_CASES="${PROPERTY_CASES:-10000}"
cargo test --profile quick --test properties --no-run
start=$(date +%s)
cargo test --profile quick --test properties -- invariants_hold_for_any_levers
echo "property test: $PROPERTY_CASES cases passed in $(( $(date +%s) - start )) s"
