#!/usr/bin/env bash
# ecgopt dsp vs PyWavelets/SciPy (../shared/peers/pywt_bench.py) on MIT-BIH
# record 100 MLII (650000 samples), same operations, same run.
# Prints one line per operation ending in ratio=<ecgopt ms / peer ms> (medians).
set -euo pipefail
B="${ECGOPT_BUILD:-$(dirname "$0")/../../build}"
S="${ECGOPT_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}"
REPS="${REPS:-20}"
ours=$("$B/bench_dsp" --reps "$REPS" "$S/data/mitdb/100")
peer=$(MITDB_DIR="$S/data/mitdb" /usr/bin/python3 "$S/peers/pywt_bench.py" --reps "$REPS")
echo "$ours" | sed 's/^/ecgopt /'
echo "$peer" | sed 's/^/peer   /'
for op in wavedec threshold waverec denoise_total filtfilt_ba sosfiltfilt; do
  a=$(echo "$ours" | sed -n "s/.*RESULT $op: median_ms=\([0-9.]*\).*/\1/p")
  b=$(echo "$peer" | sed -n "s/.*RESULT $op: median_ms=\([0-9.]*\).*/\1/p")
  awk -v op="$op" -v a="$a" -v b="$b" 'BEGIN { printf "dsp %-14s ecgopt_ms=%.2f peer_ms=%.2f ratio=%.3f\n", op, a, b, a / b }'
done
