#!/usr/bin/env bash
# Packs the npm package for embedders, `consortium-sim`: the model's wasm with wasm-bindgen's
# JS bindings and TypeScript declarations (www/pkg), the entries and types in npm/ (node.js
# loads the wasm synchronously, browser.js has init()), and the <consortium-sim> element
# (www/embed, whose worker imports the package's pkg/: the wasm is packed once). It builds
# nothing itself: run bash scripts/build-web.sh first; a missing or out-of-date build is an
# error that says so. The package is assembled in target/npm-package/ (its package.json from
# npm/package.json, with the version of Cargo.toml) and packed there with npm pack into
# target/consortium-sim-<version>.tgz, whose path and size are printed. The same build gives
# the same tarball byte for byte (npm pack stores fixed times and modes; the files are copied
# by name).
#   bash scripts/pack.sh              # the whole package; needs www/embed
#   bash scripts/pack.sh --no-embed   # without the element and its "./embed" export
# Run from anywhere. tests/package/package.test.mjs installs the tarball and uses it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'pack: %s\n' "$*"; }
fail() { printf 'pack: error: %s\n' "$*" >&2; exit 1; }

embed=1
for arg in "$@"; do
    case $arg in
        --no-embed) embed=0 ;;
        *) echo "pack: unknown option $arg (allowed: --no-embed)" >&2; exit 2 ;;
    esac
done

target=${CARGO_TARGET_DIR:-target}
stage=$target/npm-package
pkg_files=(consortium_sim.js consortium_sim.d.ts consortium_sim_bg.wasm consortium_sim_bg.wasm.d.ts)
own_files=(README.md index.d.ts node.js browser.js embed.d.ts)

for file in "${pkg_files[@]}"; do
    [[ -f www/pkg/$file ]] || fail "www/pkg/$file is missing: build it with bash scripts/build-web.sh"
done

# The first of the existing paths $2... (directories searched through) changed after file $1
# (as in scripts/test-page.sh, with the same inputs of the wasm build).
newer_input() {
    local built=$1 inputs=() path
    shift
    for path in "$@"; do [[ -e $path ]] && inputs+=("$path"); done
    ((${#inputs[@]})) && find "${inputs[@]}" -newer "$built" -print -quit
    return 0
}
stale=$(newer_input www/pkg/consortium_sim_bg.wasm src Cargo.toml Cargo.lock build.rs .cargo \
    scripts/build-web.sh package-lock.json)
[[ -z $stale ]] || fail "www/pkg is out of date ($stale changed after it was built): run bash scripts/build-web.sh"

# The package's version is the crate's, and the module packed must say the same: a www/pkg
# built before a version bump is caught here even when file times do not show it.
version=$(awk -F'"' '/^\[/ { section = $0 } section == "[package]" && /^version *=/ { print $2; exit }' Cargo.toml)
[[ -n $version ]] || fail "no version in the [package] section of Cargo.toml"
built=$(node --input-type=module -e '
import { readFileSync } from "node:fs";
import { initSync, modelVersion } from "./www/pkg/consortium_sim.js";
initSync({ module: readFileSync("www/pkg/consortium_sim_bg.wasm") });
console.log(modelVersion());') || fail "www/pkg/consortium_sim.js does not load in Node (error above)"
[[ $built == "$version" ]] || fail "www/pkg is model version $built but Cargo.toml says $version: run bash scripts/build-web.sh"

if [[ $embed == 1 ]]; then
    if [[ ! -f www/embed/consortium-sim.js ]]; then
        fail "www/embed/consortium-sim.js is missing: the <consortium-sim> element is built by
     bash scripts/build-web.sh (into www/embed/); pass --no-embed to pack without it"
    fi
    stale=$(newer_input www/embed/consortium-sim.js www/pkg/consortium_sim_bg.wasm)
    [[ -z $stale ]] || fail "www/embed is older than www/pkg: run bash scripts/build-web.sh"
fi

rm -rf "$stage"
mkdir -p "$stage/pkg"
for file in "${own_files[@]}"; do cp "npm/$file" "$stage/$file"; done
[[ $embed == 1 ]] || rm "$stage/embed.d.ts"
for file in "${pkg_files[@]}"; do cp "www/pkg/$file" "$stage/pkg/$file"; done
if [[ $embed == 1 ]]; then
    # The element's worker imports the bindings beside it (www/embed/pkg/, for a site that
    # copies www/embed/ alone); in the package it imports the package's own pkg/, so the
    # wasm is packed once.
    cp -R www/embed "$stage/embed"
    rm -r "$stage/embed/pkg"
    worker=$stage/embed/sim-worker.js
    grep -q "from './pkg/consortium_sim.js';" "$worker" \
        || fail "www/embed/sim-worker.js no longer imports './pkg/consortium_sim.js': update pack.sh"
    sed -i "s#'./pkg/consortium_sim.js'#'../pkg/consortium_sim.js'#; s#(./pkg/)#(../pkg/)#" "$worker"
fi

# package.json: the template's, with the crate's version; without the element, without its
# export, files and side effects, so that the package promises nothing it lacks.
node --input-type=module - "$version" "$embed" "$stage/package.json" <<'JS'
import { readFileSync, writeFileSync } from "node:fs";
const [version, embed, out] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync("npm/package.json", "utf8"));
manifest.version = version;
if (embed === "0") {
    delete manifest.exports["./embed"];
    manifest.files = manifest.files.filter((f) => !f.startsWith("embed"));
    manifest.sideEffects = manifest.sideEffects.filter((f) => !f.startsWith("./embed"));
}
writeFileSync(out, JSON.stringify(manifest, null, 2) + "\n");
JS

tarball=consortium-sim-$version.tgz
rm -f "$target/$tarball"
say "npm pack in $stage"
(cd "$stage" && npm pack --json --offline --ignore-scripts --pack-destination ..) >"$target/npm-pack.json" \
    || fail "npm pack failed (output above)"
node --input-type=module - "$target/npm-pack.json" "$target/$tarball" <<'JS'
import { readFileSync } from "node:fs";
const [report, tarball] = process.argv.slice(2);
const [packed] = JSON.parse(readFileSync(report, "utf8"));
for (const file of packed.files) console.log(`  ${String(file.size).padStart(8)}  ${file.path}`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`pack: wrote ${tarball}: ${kb(packed.size)} (${packed.entryCount} files, ` +
    `${kb(packed.unpackedSize)} unpacked), sha1 ${packed.shasum}`);
JS
rm -f "$target/npm-pack.json"
