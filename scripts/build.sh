#!/usr/bin/env bash
# Builds the native tree (tests, benchmarks) and the wasm tree, then assembles the package in dist/.
# Serialised by a lock so that parallel invocations share build/ safely.
# Usage: build.sh [all|native|wasm|dist|bench]
#   dist: only the wasm modules and dist/, no test suites; bench: dist plus the benchmark programs, native and wasm
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-all}
export NODE_PATH=/usr/share/nodejs  # emcc's acorn-optimizer needs Debian's acorn (TOOLCHAIN.md §1)
jobs=$(nproc)

mkdir -p "$root/build"
exec 9>"$root/build/.lock"
flock 9

# True when <dir> holds a CMake cache for this source tree. A cache written in another checkout (this one
# moved or copied) points at the old path, and CMake refuses it: that build tree is removed and reconfigured.
configured() {
  local cache="$1/CMakeCache.txt" home
  [ -f "$cache" ] || return 1
  home=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")
  if [ "$(cd "$home" 2>/dev/null && pwd -P)" = "$(pwd -P)" ] && [ "$(cd "$1" && pwd -P)" = "$(cd "$(sed -n 's/^CMAKE_CACHEFILE_DIR:INTERNAL=//p' "$cache")" 2>/dev/null && pwd -P)" ]; then
    return 0
  fi
  echo "build.sh: $1 was configured in another checkout ($home); configuring it again here" >&2
  rm -rf "$1"
  return 1
}

if [ "$what" = all ] || [ "$what" = native ] || [ "$what" = bench ]; then
  configured build/native || cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  if [ "$what" = bench ]; then cmake --build build/native -j"$jobs" --target benches
  else cmake --build build/native -j"$jobs"; fi
fi

if [ "$what" != native ]; then
  configured build/wasm ||
    emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
  case $what in
    dist) cmake --build build/wasm -j"$jobs" --target modules ;;
    bench) cmake --build build/wasm -j"$jobs" --target modules benches ;;
    *) cmake --build build/wasm -j"$jobs" ;;  # all: the test suites and every module
  esac

  # dist/: the npm package. The facade, the glue and the .wasm side by side; widgets under elements/.
  stage=build/dist.tmp
  rm -rf "$stage" && mkdir -p "$stage/elements"
  cp build/wasm/module/probwasm.mjs build/wasm/module/probwasm.wasm "$stage/"
  mkdir -p "$stage/modules" && cp build/wasm/modules/*.mjs build/wasm/modules/*.wasm "$stage/modules/"
  cp bindings/js/*.js bindings/js/*.d.ts "$stage/"
  cp web/elements/*.js web/elements/*.css "$stage/elements/"
  node scripts/strip-comments.mjs "$stage"/elements/*.js  # shipped without comments (widget byte budgets)
  cp web/embed.js web/worker.js "$stage/"
  # Topic assets (e.g. a dictionary): scripts/assets-<topic>.mjs writes files into dist/assets/<topic>/.
  for gen in scripts/assets-*.mjs; do
    [ -e "$gen" ] || continue
    t=${gen#scripts/assets-}; t=${t%.mjs}
    mkdir -p "$stage/assets/$t" && node "$gen" "$stage/assets/$t"
  done
  rm -rf dist && mv "$stage" dist
fi
