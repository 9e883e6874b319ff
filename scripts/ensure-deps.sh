#!/usr/bin/env bash
# Installs the npm dependencies when missing or older than the lock file, then builds the web app when
# its sources are newer than the build. Shared by the quick start and the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci（首次安装依赖，编译 better-sqlite3 约需一两分钟）"
  npm ci --no-audit --no-fund
fi
if [ -f web/vite.config.ts ]; then
  if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts -newer web/dist/index.html 2>/dev/null | head -1)" ]; then
    echo "==> 构建前端（vite build）"
    npm run -s build:web
  fi
fi
