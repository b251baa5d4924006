#!/usr/bin/env bash
# Builds the browser package www/pkg/ (git-ignored): the core compiled to wasm32, wrapped by
# wasm-bindgen into an ES module with TypeScript declarations, optimised by wasm-opt
# (binaryen from npm, pinned in package-lock.json), then the page's own bundle step
# (www/build.mjs) when there is one.
#
# The package is put together in target/web-pkg and replaces www/pkg only after the generated
# glue has loaded the module and run a simulated day with it in Node, so www/pkg is always a
# package that loads: the previous one, or the new one whole. An optimised module that fails
# that check fails the build: it is never shipped silently, and neither is an unoptimised one.
#   bash scripts/build-web.sh            # needs the tools from scripts/setup-web.sh
#   bash scripts/build-web.sh --no-opt   # skip wasm-opt on purpose (10-20 s faster;
#                                        # a larger module)
# Run from anywhere.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'build-web: %s\n' "$*"; }

optimise=1
for arg in "$@"; do
    case $arg in
        --no-opt) optimise=0 ;;
        *) echo "build-web: unknown option $arg (allowed: --no-opt)" >&2; exit 2 ;;
    esac
done

target=${CARGO_TARGET_DIR:-target}
wasm_in=$target/wasm32-unknown-unknown/release/consortium_sim.wasm
stage=$target/web-pkg
out=www/pkg
wasm=consortium_sim_bg.wasm
wasm_opt=node_modules/.bin/wasm-opt

if ! command -v wasm-bindgen >/dev/null; then
    say "error: wasm-bindgen not found; run: bash scripts/setup-web.sh" >&2
    exit 1
fi
if [[ $optimise == 1 && ! -x $wasm_opt ]]; then
    say "error: $wasm_opt not found (npm package binaryen); run: bash scripts/setup-web.sh" >&2
    exit 1
fi

# The package's files get this file's time, from before the build started: a source saved
# while the build runs is then newer than www/pkg, and scripts/test-page.sh rebuilds.
mkdir -p "$target"
started=$target/web-pkg.started
touch "$started"

say "cargo build --release --target wasm32-unknown-unknown --lib"
cargo build --release --target wasm32-unknown-unknown --lib

rm -rf "$stage"
say "wasm-bindgen --target web --out-dir $stage"
wasm-bindgen --target web --out-dir "$stage" "$wasm_in"
before=$(stat -c %s "$stage/$wasm")

if [[ $optimise == 1 ]]; then
    # -O3, except that a function larger than 1000 (binaryen's size: expressions) is not
    # inlined into its only caller. Binaryen inlines every single-caller function, whatever
    # its size, and -O3 alone moved the whole contact (choice, outcome, visit, bill) into the
    # daily loop: V8 then ran 7.5% more instructions for a year (299.2 million against 278.2
    # without wasm-opt; benches/wasm-instructions.mjs, 30,000 residents), as one huge
    # function compiles worse. With the limit: 275.6 million (limits of 20 to 3000 gave the
    # same). -g keeps the function names (26 KB, 42 KB before): panics' stack traces and
    # benches/wasm-instructions.mjs name the functions.
    # The features come from the module's target_features section, which rustc writes and
    # wasm-bindgen keeps (rustc 1.95: bulk-memory, bulk-memory-opt, call-indirect-overlong,
    # multivalue, mutable-globals, nontrapping-fptoint, reference-types, sign-ext, and
    # simd128 for src/rng.rs): wasm-opt may use what the module already needs, nothing more.
    opt_flags=(-O3 --one-caller-inline-max-function-size 1000 -g)
    version=$("$wasm_opt" --version)
    say "$version ${opt_flags[*]} (the step takes 10-20 s)"
    opt_started=$(date +%s.%N)
    if ! "$wasm_opt" "${opt_flags[@]}" --print-features "$stage/$wasm" -o "$stage/$wasm.opt" >"$stage/features.txt" 2>"$stage/wasm-opt.log"; then
        cat "$stage/wasm-opt.log" >&2
        say "error: $version failed on the module (output above); www/pkg left as it was" >&2
        exit 1
    fi
    seconds=$(awk -v a="$opt_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    say "features: $(sed 's/^--enable-//' "$stage/features.txt" | paste -sd ' ')"
    mv "$stage/$wasm.opt" "$stage/$wasm"
    rm -f "$stage/features.txt" "$stage/wasm-opt.log"
    say "wasm-opt: $before -> $(stat -c %s "$stage/$wasm") bytes in $seconds s"
else
    say "warning: --no-opt: the module is not optimised ($before bytes)"
fi

# The package must load and run a day in Node (scripts/package-runs.mjs says why).
if ! node scripts/package-runs.mjs "$stage/consortium_sim.js" "$stage/$wasm" 2>"$stage/check.log"; then
    cat "$stage/check.log" >&2
    if [[ $optimise == 1 ]]; then
        say "error: $version produced a module that does not load and run a day in Node (output" >&2
        say "       above); www/pkg left as it was. bash scripts/build-web.sh --no-opt builds without it." >&2
    else
        say "error: the module wasm-bindgen wrote does not load and run a day in Node (output above)" >&2
    fi
    exit 1
fi
rm -f "$stage/check.log"

touch -r "$started" "$stage"/*
rm -rf "$out"
mv "$stage" "$out"

if [[ -f www/build.mjs ]]; then
    say "node www/build.mjs"
    node www/build.mjs
fi

say "done: $out ($(stat -c %s "$out/$wasm") bytes of wasm)"

# The archive of released model versions, www/v/<version>/ (a second run copies only: < 1 s).
bash scripts/build-versions.sh
