#!/usr/bin/env bash
# The first command of the README: installs what the page needs, builds the wasm package and
# the chart bundle, then serves the explorer on http://localhost:8000/ (PORT overrides it;
# the next free port is used when it is busy). Stop it with Ctrl+C.
# Run from anywhere: bash scripts/start.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup-web.sh
bash scripts/build-web.sh

echo "start: open the URL below in a browser (works offline once loaded)"
exec python3 scripts/serve.py --port "${PORT:-8000}"
