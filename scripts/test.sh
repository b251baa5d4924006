#!/usr/bin/env bash
# Runs every test of the project on a fresh machine (this is the README's second command
# and what CI runs): installs what is missing, then
#   1. formatting and lints (native and wasm32),
#   2. native tests: unit, doc, property, CLI, golden, calibration and policy responses,
#      and the tests of the benchmark table (tests/bench_table_test.py),
#   3. the wasm tests in headless Chromium (native == wasm to the last bit),
#   4. the npm package: packed, installed offline into an empty folder and used from Node,
#   5. end-to-end page tests with Playwright driving Debian's Chromium.
# Run from anywhere: bash scripts/test.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "setup: toolchains, Chromium, npm packages"
bash scripts/setup-web.sh

step "format, lints and API docs"
cargo fmt --check
cargo clippy --profile quick --all-targets -q -- -D warnings
cargo clippy --release --target wasm32-unknown-unknown --lib -q -- -D warnings
# The API docs build without a broken link (source tags such as [S] are escaped in doc comments).
RUSTDOCFLAGS="-D warnings" cargo doc --profile quick --no-deps --lib -q

step "native tests (optimised profile \"quick\": the model runs ~20x faster than in debug)"
cargo test --profile quick

step "benchmark table: what counts as met, missed or not judged"
python3 tests/bench_table_test.py

step "build the browser package"
bash scripts/build-web.sh

step "wasm tests in headless Chromium"
bash scripts/test-wasm.sh

step "npm package: pack, install into an empty folder, use from Node"
node --test tests/package/package.test.mjs
node --test tests/fuzz/url-state.fuzz.mjs

step "page tests"
# The command line the page's results are compared with (tests/e2e/export.test.mjs, ensemble).
cargo build --profile quick --bin consortium-sim -q
bash scripts/test-page.sh

step "all tests passed"
