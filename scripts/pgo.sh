#!/usr/bin/env bash
# Builds the command-line model with profile-guided optimisation (PGO): a release build that
# LLVM lays out and inlines from a profile of the model's own runs. Results are the same bit
# for bit as the plain release build (this script checks it); only the speed differs (about
# 12% fewer instructions for a simulated year, docs/PERFORMANCE.md section 6).
#
#   bash scripts/pgo.sh              # -> target/pgo/release/consortium-sim
#   bash scripts/pgo.sh --profile    # only write the profile: prints its path on the last line
#
# 1. builds an instrumented CLI (target/pgo-generate) and runs the training set: the
#    calibration check over every preset (`validate`, 2 seeds, 20,000 residents), and a
#    status_quo year at 200,000 residents;
# 2. merges the counts with llvm-profdata (rustup's llvm-tools component, installed if
#    missing; it must be the LLVM of this rustc) into target/pgo/merged.profdata;
# 3. builds the release CLI with `-Cprofile-use` into target/pgo, and compares a run of it
#    with a run of the plain release build, byte for byte.
# `bash scripts/bench.sh --pgo` uses the profile for its native figures (cargo bench with
# the same flags). Run from anywhere.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf 'pgo: %s\n' "$*" >&2; }

profile_only=0
for arg in "$@"; do
    case $arg in
        --profile) profile_only=1 ;;
        *) echo "pgo: unknown option $arg (allowed: --profile)" >&2; exit 2 ;;
    esac
done

host=$(rustc -vV | sed -n 's/^host: //p')
profdata=$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata
if [[ ! -x $profdata ]]; then
    say "rustup component add llvm-tools (llvm-profdata of this rustc's LLVM)"
    rustup component add llvm-tools >&2
fi

root=$PWD
raw=$root/target/pgo-data
merged=$root/target/pgo/merged.profdata
rm -rf "$raw"
mkdir -p "$raw" "$(dirname "$merged")"

say "instrumented build (target/pgo-generate)"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$raw" CARGO_TARGET_DIR=target/pgo-generate \
    cargo build --release -q --bin consortium-sim >&2
trainee=target/pgo-generate/release/consortium-sim
say "training: validate (every preset, 2 seeds, 20,000 residents), status_quo year at 200,000"
"$trainee" validate --seeds 2 --population 20000 --format json >/dev/null
"$trainee" run --population 200000 --years 1 --format json >/dev/null

"$profdata" merge -o "$merged" "$raw"
rm -rf "$raw"
say "profile: $merged"
if [[ $profile_only == 1 ]]; then
    echo "$merged"
    exit 0
fi

say "optimised build (target/pgo)"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$merged" CARGO_TARGET_DIR=target/pgo \
    cargo build --release -q --bin consortium-sim >&2
cargo build --release -q --bin consortium-sim >&2

# Same results: PGO only moves code around, so any difference would be a compiler bug.
check=(run --preset close_consortium --population 30000 --years 2 --format json)
if ! cmp -s <(target/release/consortium-sim "${check[@]}") <(target/pgo/release/consortium-sim "${check[@]}"); then
    say "error: the PGO build's results differ from the plain release build's"
    exit 1
fi
say "target/pgo/release/consortium-sim: same results as target/release/consortium-sim"
