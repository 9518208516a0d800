#!/usr/bin/env bash
# Idempotent set-up: installs what the build and the tests need, and does nothing when it is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v em++ >/dev/null 2>&1 || need+=(emscripten)
[ -f /usr/include/eigen3/Eigen/Core ] || need+=(libeigen3-dev)
[ -f /usr/include/doctest/doctest.h ] || need+=(doctest-dev)
[ -d /usr/include/boost/multiprecision ] || need+=(libboost-dev)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/games/fortunes/chinese ] || need+=(fortunes-zh)  # wobert: a real Chinese corpus for the jieba agreement test
[ -f /usr/lib/python3/dist-packages/jieba/__init__.py ] || need+=(python3-jieba)  # wobert: Python jieba 0.42.1, second reference
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)  # CJK glyphs for the headless-Chromium screenshots
command -v clang++-14 >/dev/null 2>&1 || need+=(clang-14)  # tests/fuzz: libFuzzer targets (ASan + UBSan)
compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null || need+=(libclang-rt-14-dev)  # libFuzzer, ASan, UBSan runtimes
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v g++ >/dev/null 2>&1 || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# <pw-images>' data: the 8×8 digits, extracted from the python3-sklearn .deb into build/data/ (no install).
bash scripts/fetch-digits.sh

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
