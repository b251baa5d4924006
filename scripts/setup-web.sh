#!/usr/bin/env bash
# Installs what the WebAssembly build and the browser tests need, skipping what is present:
# the wasm32 target, wasm-bindgen-cli at the exact version of the wasm-bindgen crate in the
# build (as cargo resolves it), Chromium with its driver and a CJK font from apt, and the
# npm packages of package-lock.json (the page's bundler and chart library, playwright-core
# for the page tests, binaryen's wasm-opt for the build).
# Safe to re-run; on a machine that has everything it only prints "ok" lines.
# Run from anywhere: bash scripts/setup-web.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup-web: %s\n' "$*"; }

# 1. The Rust target (a no-op when present, but `rustup` prints noise, so check first).
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "ok: rust target wasm32-unknown-unknown"
else
    say "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli must match the wasm-bindgen crate exactly: the CLI refuses a module
#    built by a different version. Ask cargo which version the wasm32 build resolves to
#    (it writes Cargo.lock first if there is none), so the two never drift.
#    No --locked: with it resolution fails on a transitive crate the registry does not serve.
wb_versions=$(cargo metadata --format-version 1 --filter-platform wasm32-unknown-unknown | python3 -c '
import json, sys
meta = json.load(sys.stdin)
resolved = {node["id"] for node in meta["resolve"]["nodes"]}
versions = {p["version"] for p in meta["packages"] if p["name"] == "wasm-bindgen" and p["id"] in resolved}
print(" ".join(sorted(versions)))
')
if [[ -z $wb_versions || $wb_versions == *" "* ]]; then
    say "error: expected one version of the wasm-bindgen crate in the wasm32 build, cargo metadata gives: '${wb_versions}'" >&2
    exit 1
fi
wb_version=$wb_versions
if command -v wasm-bindgen >/dev/null && [[ "$(wasm-bindgen --version)" == "wasm-bindgen $wb_version" ]]; then
    say "ok: wasm-bindgen $wb_version"
else
    say "installing wasm-bindgen-cli $wb_version (about 4-7 minutes on 2 cores)"
    # A developer tool, not a product: building it without LTO and with parallel codegen
    # saves about a fifth of the install's CPU time (410 s instead of 520 s measured), and
    # the tool's own speed does not matter.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
        cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# 3. System packages: headless Chromium and its driver for the tests. Touch apt only when
#    something is missing, and update its lists only then. (wasm-opt comes from npm, step 4:
#    Debian's binaryen 108 writes a module of current wasm-bindgen that does not load.)
# fonts-wqy-microhei: the page labels tiers in Chinese too (医联体); without a CJK font
# headless screenshots show boxes.
apt_wanted=(chromium chromium-driver fonts-wqy-microhei)
apt_missing=()
for pkg in "${apt_wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        apt_missing+=("$pkg")
    fi
done
if ((${#apt_missing[@]} == 0)); then
    say "ok: apt packages ${apt_wanted[*]}"
else
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    say "installing apt packages: ${apt_missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi

# 4. npm packages, at the versions of package-lock.json: esbuild and echarts for the page's
#    chart bundle, playwright-core for the page tests, and binaryen for wasm-opt (binaryen
#    compiled to WebAssembly, run by Node: node_modules/.bin/wasm-opt). npm rewrites
#    node_modules/.package-lock.json on every install, so it tells when node_modules was
#    last brought in line with the lock.
if [[ -f package.json ]]; then
    lock=package-lock.json
    stamp=node_modules/.package-lock.json
    if [[ ! -d node_modules ]] || { [[ -f $lock ]] && { [[ ! -f $stamp ]] || [[ $lock -nt $stamp ]]; }; }; then
        if [[ -f $lock ]]; then
            say "npm ci"
            npm ci --no-audit --no-fund
        else
            say "npm install (no package-lock.json)"
            npm install --no-audit --no-fund
        fi
        if [[ -f $stamp ]]; then touch "$stamp"; fi
    else
        say "ok: node_modules"
    fi
fi

say "done"
