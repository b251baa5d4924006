#!/usr/bin/env bash
# Runs tests/web.rs in headless Chromium: cargo builds the test module for wasm32, and the
# runner from .cargo/config.toml (wasm-bindgen-test-runner) serves it to Chromium through
# chromedriver with the flags in webdriver.json. Exits non-zero when any test fails.
# Needs the tools from scripts/setup-web.sh. Extra arguments go to the test binary, e.g. a
# test name filter: bash scripts/test-wasm.sh golden
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'test-wasm: %s\n' "$*"; }

for tool in wasm-bindgen-test-runner chromedriver chromium; do
    if ! command -v "$tool" >/dev/null; then
        say "error: $tool not found; run: bash scripts/setup-web.sh" >&2
        exit 1
    fi
done

# Absolute paths, so the runner finds the driver and the browser options whatever its
# working directory. A debug-build test module replays two years of the golden runs, which
# takes longer than the runner's default 20 s limit.
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$PWD/webdriver.json}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
# Root may not run Chromium with its sandbox; webdriver.json passes --no-sandbox for that.

say "cargo test --target wasm32-unknown-unknown --test web (headless Chromium via $CHROMEDRIVER)"
cargo test --target wasm32-unknown-unknown --test web -- "$@"
