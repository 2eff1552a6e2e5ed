#!/usr/bin/env bash
# Runs the E2E suite: setup (idempotent; a no-op in about a second once installed), build (tsc -b
# and the esbuild bundles in dist/, which the extension under test loads), then node's test runner
# on out/test/e2e/**/*.e2e.test.js, one file at a time (each starts its own code-server + chromium).
# Usage: scripts/e2e/run.sh [substring-filter...]     Exit code: the tests'.
# Failure artifacts: test-results/e2e/<test>/. Env: see test/e2e/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
bash scripts/e2e/setup.sh </dev/null
npm run build --silent
mapfile -t files < <(find out/test/e2e -name '*.e2e.test.js' | sort)
if (($#)); then
  mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -F "${@/#/-e}" || true)
fi
if ((${#files[@]} == 0)); then
  echo "[e2e] no E2E test files matched" >&2
  exit 1
fi
rm -rf test-results/e2e
set +e
node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
rc=$?
set -e
echo "[e2e] ${#files[@]} file(s), exit $rc, $((SECONDS - start)) s in all$( ((rc)) && echo "; artifacts in test-results/e2e/")"
exit $rc
