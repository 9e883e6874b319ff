#!/usr/bin/env bash
# Runs every test: unit, storage and API suites on SQLite and on a throwaway PostgreSQL cluster, then the
# browser tests in Debian's chromium. Installs what is missing. Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need=()
[ -x /usr/bin/chromium ] || [ -x /usr/lib/chromium/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
# The offline-bundle test runs the bundle in a network namespace (unshare, ip) and traces its connect() calls.
command -v strace >/dev/null || need+=(strace)
command -v ip >/dev/null || need+=(iproute2)
command -v curl >/dev/null || need+=(curl)
# The PDF tests (src/documents/pdf-fidelity.test.ts): LibreOffice, poppler's pdftotext, the 楷体 face.
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi 'AR PL UKai' || need+=(fonts-arphic-ukai)
# The 仿宋 face of the PDF body (FandolFang, mapped by src/documents/fonts/fontconfig.conf).
[ -f /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf ] || need+=(texlive-lang-chinese)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> apt-get install ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "缺少系统软件包：${need[*]}（请以 root 运行或手动安装）" >&2
  fi
fi
bash scripts/ensure-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

out="$root/test-output"
mkdir -p "$out"
rm -f "$out"/vitest-*.json

pg_url=$(bash scripts/pg-test-cluster.sh start) || { echo "PostgreSQL 测试集群启动失败" >&2; echo "0 passed, 1 failed"; exit 1; }
trap 'bash scripts/pg-test-cluster.sh stop' EXIT
export FAZHI_TEST_PG_URL="$pg_url"

status=0
# Type errors count as a failed check in the closing line.
echo "==> type check (tsc + vue-tsc)"
typecheck_failed=0
npm run -s typecheck || { typecheck_failed=1; status=1; }

echo "==> unit, storage and API tests (SQLite + PostgreSQL)"
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest-main.json" || status=1
if [ -f test/browser/vitest.config.ts ]; then
  echo "==> browser tests (chromium)"
  node_modules/.bin/vitest run --config test/browser/vitest.config.ts --reporter=default --reporter=json --outputFile.json="$out/vitest-browser.json" || status=1
fi

node -e '
const fs = require("fs");
let passed = 0, failed = 0, files = 0;
for (const f of fs.readdirSync(process.argv[1]).filter((f) => /^vitest-.*\.json$/.test(f))) {
  const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests + (r.numPendingTests || 0) + (r.numTodoTests || 0);
  files++;
  // A suite that failed to load counts as a failure even if it reported no test.
  failed += r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
}
if (files === 0) failed++;
failed += Number(process.argv[2] || 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
' "$out" "$typecheck_failed" || status=1
exit $status
