#!/usr/bin/env bash
# libFuzzer + ASan + UBSan over the parsers, the compiled-dictionary loader, the tokenizer and the exact sector arithmetic (issue 12).
# Usage: tests/fuzz/run.sh [seconds per target, default 3] [target…]
# Builds each target with clang-14 (Debian's clang-14 + libclang-rt-14-dev, see scripts/setup.sh) into
# build/fuzz/, runs it for the given time on a corpus kept in build/fuzz/corpus/<target>/, and fails on
# the first crash, sanitizer report or failed check (libFuzzer saves the input as build/fuzz/crash-*).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-3}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(jieba_dictionary jieba_cut jieba_trie wobert_tokenizer sector_exact bignat)
out=build/fuzz
mkdir -p "$out"
flags=(-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc -isystem /usr/include/eigen3)
declare -A sources=(
  [jieba_dictionary]="src/wobert/jieba.cpp src/wobert/jieba_trie.cpp src/wobert/text.cpp"
  [jieba_cut]="src/wobert/jieba.cpp src/wobert/jieba_trie.cpp src/wobert/text.cpp"
  [jieba_trie]="src/wobert/jieba.cpp src/wobert/jieba_trie.cpp src/wobert/text.cpp"
  [wobert_tokenizer]="src/wobert/jieba.cpp src/wobert/jieba_trie.cpp src/wobert/text.cpp src/wobert/tokenizer.cpp src/wobert/cost.cpp"
  [sector_exact]="src/sector/sector.cpp src/sector/exact.cpp src/sector/bigint.cpp"
  [bignat]="src/sector/bigint.cpp"
)
for t in "${targets[@]}"; do
  exe=$out/$t
  srcs=(tests/fuzz/$t.cpp ${sources[$t]})
  if [ ! -x "$exe" ] || [ -n "$(find "${srcs[@]}" tests/fuzz/*.hpp src/*/*.hpp -newer "$exe" 2>/dev/null | head -1)" ]; then
    echo "fuzz: building $t"
    clang++-14 "${flags[@]}" "${srcs[@]}" -o "$exe"
  fi
  mkdir -p "$out/corpus/$t"
  echo "fuzz: $t for ${secs}s"
  log=$out/$t.log
  rc=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$exe" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/" "$out/corpus/$t" >"$log" 2>&1 || rc=$?
  grep -E "^Done [0-9]+ runs|ERROR|SUMMARY|check failed|runtime error|Test unit written" "$log" || true
  [ "$rc" -eq 0 ] || { echo "fuzz: $t FAILED (rc $rc; log $log, input saved under $out/)"; exit 1; }
done
echo "fuzz: all targets clean"
