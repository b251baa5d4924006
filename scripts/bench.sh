#!/usr/bin/env bash
# Runs every benchmark and prints a table of each figure beside its target (benches/bench-table.py):
#   1. native (cargo bench --bench sim): one simulated year of status_quo at 100,000 and
#      1,000,000 residents, single-threaded; the 1M/100k scaling ratio. The release build, as
#      `cargo build --release` gives it; with --pgo, built with profile-guided optimisation
#      instead (bash scripts/pgo.sh --profile writes the profile; same results bit for bit);
#   2. memory (cargo bench --bench memory): peak RSS per resident at 1,000,000 residents;
#   3. WebAssembly (benches/wasm-bench.mjs): the same years through www/pkg in Node, each
#      run paired with the same year natively (the release CLI; with --pgo, the PGO build and
#      the plain one), so the ratio compares runs made seconds apart on a machine whose speed
#      drifts; with --pgo the same pairs give the PGO build's time over the plain build's;
#   4. the page (benches/page-bench.mjs): the explorer in headless Chromium.
# The wasm and page parts need the web toolchain (bash scripts/setup-web.sh); www/pkg is
# rebuilt first so it measures the current code. Run from anywhere:
#   bash scripts/bench.sh [--quick] [--no-build] [--pgo] [--skip-wasm] [--skip-page]
# Timings are medians over repetitions; on a shared machine they move with its load, so the
# load average is printed with the table.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick="" build=1 pgo=0 wasm=1 page=1
for arg in "$@"; do
    case $arg in
        --quick) quick="--quick" ;;
        --no-build) build=0 ;;
        --pgo) pgo=1 ;;
        --skip-wasm) wasm=0 ;;
        --skip-page) page=0 ;;
        *) echo "bench: unknown option $arg (allowed: --quick --no-build --pgo --skip-wasm --skip-page)" >&2; exit 2 ;;
    esac
done

say() { printf 'bench: %s\n' "$*"; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The machine's processor time so far, and how much of it the host gave to others ("steal",
# the 8th field of /proc/stat's cpu line, in ticks): marked after each part, so the table can
# say how busy the host was while that part ran.
mark() { [[ -r /proc/stat ]] && awk -v part="$1" '/^cpu /{print part, $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat >>"$out/cpu.txt"; return 0; }
mark start

native_bins=(target/release/consortium-sim)
if [[ $pgo == 1 ]]; then
    say "profile for PGO: bash scripts/pgo.sh --profile"
    profile=$(bash scripts/pgo.sh --profile | tail -1)
    pgo_env=(env "RUSTFLAGS=${RUSTFLAGS:-} -Cprofile-use=$profile" CARGO_TARGET_DIR=target/pgo)
    say "native (PGO build): cargo bench --bench sim"
    "${pgo_env[@]}" cargo bench -q --bench sim -- $quick --json "$out/native.json"
    native_bins=(target/pgo/release/consortium-sim target/release/consortium-sim)
    touch "$out/pgo"
else
    say "native: cargo bench --bench sim"
    cargo bench -q --bench sim -- $quick --json "$out/native.json"
fi
mark native

say "memory: cargo bench --bench memory (1,000,000 residents, 1 year)"
cargo bench -q --bench memory -- --population 1000000 --years 1 --json "$out/memory.json"
mark memory

web_ready() { [[ -d node_modules/playwright-core ]] && command -v wasm-bindgen >/dev/null; }
if [[ $wasm == 1 || $page == 1 ]]; then
    if [[ $build == 1 ]] && command -v wasm-bindgen >/dev/null; then
        say "building www/pkg (bash scripts/build-web.sh)"
        bash scripts/build-web.sh >"$out/build-web.log" 2>&1 || { cat "$out/build-web.log" >&2; exit 1; }
    fi
fi
if [[ $wasm == 1 ]]; then
    if [[ -f www/pkg/consortium_sim.js ]]; then
        say "wasm: node benches/wasm-bench.mjs (each run paired with native runs of the release CLI)"
        cargo build --release -q --bin consortium-sim
        # The PGO CLI is built only when wasm runs are paired with it.
        if [[ $pgo == 1 ]]; then "${pgo_env[@]}" cargo build --release -q --bin consortium-sim; fi
        native_args=()
        for bin in "${native_bins[@]}"; do native_args+=(--native "$bin"); done
        mark wasm-build
        node benches/wasm-bench.mjs $quick "${native_args[@]}" --json "$out/wasm.json"
        mark wasm
    else
        say "wasm: skipped (www/pkg is missing; run bash scripts/setup-web.sh, then this again)"
    fi
fi
if [[ $page == 1 ]]; then
    if web_ready && [[ -x ${CHROMIUM:-/usr/bin/chromium} && -f www/pkg/consortium_sim.js ]]; then
        say "page: node benches/page-bench.mjs"
        mark page-start
        node benches/page-bench.mjs --json "$out/page.json"
        mark page
    else
        say "page: skipped (needs Chromium, node_modules and www/pkg: bash scripts/setup-web.sh)"
    fi
fi

python3 benches/bench-table.py "$out"
