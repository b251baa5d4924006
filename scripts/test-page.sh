#!/usr/bin/env bash
# End-to-end tests of the explorer page in headless Chromium (playwright-core driving
# Debian's /usr/bin/chromium; no browser download). Assumes scripts/setup-web.sh has run;
# builds the wasm package and the chart bundle if they are missing. Serves www/ on a free
# localhost port for the run and stops it afterwards. Exits non-zero when a test fails.
# Run from anywhere: bash scripts/test-page.sh [extra node --test arguments]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'test-page: %s\n' "$*"; }

if [[ ! -d node_modules/playwright-core ]]; then
    say "error: node_modules is missing; run: bash scripts/setup-web.sh" >&2
    exit 1
fi
if [[ ! -x ${CHROMIUM:-/usr/bin/chromium} ]]; then
    say "error: ${CHROMIUM:-/usr/bin/chromium} not found; run: bash scripts/setup-web.sh" >&2
    exit 1
fi
if [[ ! -f www/pkg/consortium_sim.js ]]; then
    say "www/pkg is missing; building it"
    bash scripts/build-web.sh
elif [[ ! -f www/vendor/echarts.js ]]; then
    node www/build.mjs
fi

log=$(mktemp)
python3 scripts/serve.py --port 0 --quiet >"$log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -f "$log"
}
trap cleanup EXIT

url=""
for _ in $(seq 1 100); do
    url=$(grep -m1 '^http://' "$log" || true)
    [[ -n $url ]] && break
    if ! kill -0 "$server" 2>/dev/null; then
        cat "$log" >&2
        say "error: the server did not start" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z $url ]]; then
    say "error: the server printed no URL" >&2
    exit 1
fi
say "serving www/ at $url"

mkdir -p tests/e2e/artifacts
started=$(date +%s)
status=0
BASE_URL=$url node --test --test-concurrency=1 "$@" tests/e2e/ || status=$?
say "finished in $(($(date +%s) - started)) s (exit $status); screenshots in tests/e2e/artifacts/"
exit "$status"
