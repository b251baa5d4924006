#!/usr/bin/env bash
# Builds the browser package: the core compiled to wasm32, wrapped by wasm-bindgen into an
# ES module with TypeScript declarations in www/pkg/ (git-ignored), shrunk by wasm-opt when
# binaryen is installed, then the page's own bundle step (www/build.mjs) when there is one.
# Needs the tools from scripts/setup-web.sh. Run from anywhere: bash scripts/build-web.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'build-web: %s\n' "$*"; }

out=www/pkg
wasm_in=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/consortium_sim.wasm
wasm_out=$out/consortium_sim_bg.wasm

if ! command -v wasm-bindgen >/dev/null; then
    say "error: wasm-bindgen not found; run: bash scripts/setup-web.sh" >&2
    exit 1
fi

say "cargo build --release --target wasm32-unknown-unknown --lib"
cargo build --release --target wasm32-unknown-unknown --lib

say "wasm-bindgen --target web --out-dir $out"
wasm-bindgen --target web --out-dir "$out" "$wasm_in"

# wasm-opt is an optimisation, not a requirement. Some binaryen versions write a module that
# validates but no longer loads: Debian's binaryen 108 re-points wasm-bindgen's exported
# externref table (`__wbindgen_externrefs`) at the function table, and init() then throws.
# So the optimised module is kept only if the generated glue can load it and run a day in
# Node; otherwise the unoptimised (working) module stays.
if command -v wasm-opt >/dev/null; then
    before=$(stat -c %s "$wasm_out")
    if ! wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types "$wasm_out" -o "$wasm_out.opt" 2>"$out/wasm-opt.log"; then
        say "warning: wasm-opt failed (see $out/wasm-opt.log); keeping the unoptimised module"
    elif node --input-type=module - "$out/consortium_sim.js" "$wasm_out.opt" 2>>"$out/wasm-opt.log" <<'JS'; then
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [glue, wasm] = process.argv.slice(2);
const pkg = await import(pathToFileURL(glue).href);
await pkg.default({ module_or_path: readFileSync(wasm) });
const sim = new pkg.Simulation({ population: 1000, years: 1 });
sim.step(1);
if (sim.day !== 1 || typeof sim.summary().primary_visit_share !== "number") throw new Error("wrong results");
sim.free();
JS
        mv "$wasm_out.opt" "$wasm_out"
        rm -f "$out/wasm-opt.log"
        say "wasm-opt -O3: $before -> $(stat -c %s "$wasm_out") bytes"
    else
        say "warning: $(wasm-opt --version) produced a module that does not load (see $out/wasm-opt.log);"
        say "         keeping the unoptimised module ($before bytes)"
    fi
    rm -f "$wasm_out.opt"
else
    say "wasm-opt not found (apt package binaryen); skipping optimisation"
fi

if [[ -f www/build.mjs ]]; then
    say "node www/build.mjs"
    node www/build.mjs
fi

say "done: $out ($(stat -c %s "$wasm_out") bytes of wasm)"
