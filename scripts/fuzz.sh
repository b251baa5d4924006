#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ (libFuzzer, nightly Rust) for a chosen time or number
# of executions, then prints each target's executions and crashes.
#
#   bash scripts/fuzz.sh                          every target, 60 s each
#   bash scripts/fuzz.sh lever_sequence --time 300
#   bash scripts/fuzz.sh experiment_toml --runs 10000000
#
# Targets: scenario_set, experiment_toml, experiment_json, lever_sequence. Installs
# cargo-fuzz into ~/.cargo/bin if missing. Memory is bounded (-rss_limit_mb=2048,
# -malloc_limit_mb=2048): an input that needs more is reported as a crash (an OOM finding).
# New corpus entries go to fuzz/corpus/<target>/ (ignored by git except the seed-* files);
# crashing inputs to fuzz/artifacts/<target>/. Logs: fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(scenario_set experiment_toml experiment_json lever_sequence)
targets=()
limit=(-max_total_time=60)
while (($#)); do
  case "$1" in
    --time) limit=("-max_total_time=$2"); shift 2 ;;
    --runs) limit=("-runs=$2"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *)
      if [[ " ${ALL[*]} " != *" $1 "* ]]; then
        echo "fuzz.sh: unknown target '$1': the targets are ${ALL[*]}" >&2
        exit 2
      fi
      targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${ALL[@]}")

if ! command -v cargo-fuzz >/dev/null && [[ ! -x "$HOME/.cargo/bin/cargo-fuzz" ]]; then
  echo "Installing cargo-fuzz into ~/.cargo/bin ..." >&2
  cargo install cargo-fuzz
fi
export PATH="$HOME/.cargo/bin:$PATH"

mkdir -p fuzz/logs
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  echo "== $t ${limit[*]}" >&2
  # -print_final_stats gives the executions; a crash stops the run with a non-zero status.
  if cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- "${limit[@]}" -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -max_len=4096 -timeout=60 -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1; then
    result=clean
  else
    result="CRASH (see fuzz/logs/$t.log)"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/logs/$t.log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
  printf '%-16s executions %12s  crash files %3s  %s\n' "$t" "${runs:-?}" "$crashes" "$result"
done
exit $status
