#!/usr/bin/env bash
# Every test: native doctest, the same doctest suites compiled to wasm, node:test against the built
# package, and the browser tests (Playwright + Debian's Chromium). Assumes build.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs

echo "== native doctest"
ctest --test-dir build/native --output-on-failure -j"$(nproc)"
echo "== wasm doctest (node)"
ctest --test-dir build/wasm --output-on-failure -j"$(nproc)"
echo "== libFuzzer + ASan + UBSan: a few seconds per target (npm run fuzz for longer runs)"
bash tests/fuzz/run.sh 3
echo "== node:test: the API (tests/js), the widgets in Chromium (tests/browser), the packed package (tests/package)"
node --test --test-concurrency=2 tests/js/ tests/browser/ tests/package/
