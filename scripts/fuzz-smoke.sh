#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang and run each one briefly
# (FUZZ_SECONDS, default 20) as a smoke test.  Long runs: FUZZ_SECONDS=600.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${FUZZ_SECONDS:-20}"
B=build-fuzz
ls fuzz/*/fuzz_*.c >/dev/null 2>&1 || { echo "no fuzz harnesses"; exit 0; }
CC=clang cmake -S . -B $B -DECGOPT_FUZZ=ON -DECGOPT_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build $B -j "$(nproc)" $(for f in fuzz/*/fuzz_*.c; do printf -- '--target %s ' "$(basename "$f" .c)"; done)
for f in fuzz/*/fuzz_*.c; do
  name=$(basename "$f" .c)
  corpus="fuzz/corpus/${name#fuzz_}"
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/ 2>/dev/null || true
  echo "fuzz $name for ${SECS}s"
  "./$B/$name" -max_total_time="$SECS" -print_final_stats=1 "$work" 2>&1 | grep -E "stat::number_of_executed_units|ERROR|SUMMARY" || true
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then echo "fuzz $name FAILED"; exit 1; fi
  rm -rf "$work"
done
