#!/usr/bin/env bash
# End-to-end tests of the explorer page in headless Chromium (playwright-core driving
# Debian's /usr/bin/chromium; no browser download). Assumes scripts/setup-web.sh has run.
# Rebuilds the wasm package (www/pkg) when it is missing or older than any input of its
# build, and the chart bundle (www/vendor/echarts.js) likewise, so the tests never run an
# old module. Serves www/ on a free localhost port for the run and stops it afterwards.
# Exits non-zero when a test fails.
# Run from anywhere: bash scripts/test-page.sh [test files] [extra node --test arguments]
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
# The first of the existing paths $2... (directories searched through) changed after file
# $1, or $1 itself when it is missing; nothing when $1 is up to date.
newer_input() {
    local built=$1 inputs=() path
    shift
    [[ -f $built ]] || { echo "$built"; return; }
    for path in "$@"; do [[ -e $path ]] && inputs+=("$path"); done
    ((${#inputs[@]})) && find "${inputs[@]}" -newer "$built" -print -quit
    return 0
}
# Inputs of the wasm build: the crate, its lock, the rustc flags in .cargo/config.toml, the
# build script itself, and package-lock.json, which pins binaryen (wasm-opt).
stale=$(newer_input www/pkg/consortium_sim_bg.wasm src Cargo.toml Cargo.lock build.rs .cargo \
    scripts/build-web.sh package-lock.json)
[[ -n $stale || -f www/pkg/consortium_sim.js ]] || stale=www/pkg/consortium_sim.js
if [[ -n $stale ]]; then
    say "www/pkg is out of date ($stale is newer or missing); rebuilding it"
    bash scripts/build-web.sh
else
    # build-web.sh makes the chart bundle too; on its own, it is rebuilt when it is out of date.
    stale=$(newer_input www/vendor/echarts.js www/build.mjs www/echarts-entry.js package-lock.json)
    # The same step builds the embed (www/embed/) from its sources and the page modules it bundles.
    [[ -n $stale ]] || stale=$(newer_input www/embed/consortium-sim.js www/build.mjs www/embed-src www/strings www/pkg \
        www/sim-worker.js www/sim-client.js www/baseline-run.js www/charts.js www/key-figures.js www/url-state.js www/lever-notes.js www/calendar.js)
    if [[ -n $stale ]]; then
        say "www/vendor/echarts.js or www/embed/ is out of date ($stale is newer or missing); node www/build.mjs"
        node www/build.mjs
    fi
fi

# The archive of released model versions (www/v/), for the pinned-link tests: built once
# (about 40 s for 0.1.0), then only copied (< 1 s).
bash scripts/build-versions.sh

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
# Test files named among the arguments run alone; otherwise every file in tests/e2e/.
args=() files=()
for arg in "$@"; do
    if [[ $arg == *.test.mjs ]]; then files+=("$arg"); else args+=("$arg"); fi
done
((${#files[@]})) || files=(tests/e2e/)
BASE_URL=$url node --test --test-concurrency=1 "${args[@]}" "${files[@]}" || status=$?
say "finished in $(($(date +%s) - started)) s (exit $status); screenshots in tests/e2e/artifacts/"
exit "$status"
