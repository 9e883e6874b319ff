#!/usr/bin/env bash
# Quick start: install, build, and serve on SQLite under ./data with the demo district when the database is empty.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node_modules/.bin/tsx src/cli/main.ts serve --demo "$@"
