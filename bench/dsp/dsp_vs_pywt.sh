#!/usr/bin/env bash
# ecgopt dsp vs PyWavelets/SciPy (../shared/peers/pywt_bench.py) on MIT-BIH
# record 100 MLII (650000 samples), same operations, same run.
# Prints per operation one line for the median times and one for the minimum
# times, each ending in ratio=<ecgopt ms / peer ms>.  On a loaded machine the
# minimum (the least-disturbed run) is the steadier figure; a third line
# compares minimum process CPU times (bench/dsp/peer_cpu.py times the peer's
# operations with time.process_time), the least load-sensitive figure.
set -euo pipefail
B="${ECGOPT_BUILD:-$(dirname "$0")/../../build}"
S="${ECGOPT_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}"
REPS="${REPS:-20}"
ours=$("$B/bench_dsp" --reps "$REPS" "$S/data/mitdb/100")
peer=$(MITDB_DIR="$S/data/mitdb" /usr/bin/python3 "$S/peers/pywt_bench.py" --reps "$REPS")
pcpu=$(/usr/bin/python3 "$(dirname "$0")/peer_cpu.py" "$S/peers" "$S/data/mitdb" --reps "$REPS")
echo "$ours" | sed 's/^/ecgopt /'
echo "$peer" | sed 's/^/peer   /'
echo "$pcpu" | sed 's/^/peer   /'
for op in wavedec threshold waverec denoise_total filtfilt_ba sosfiltfilt; do
  for stat in median min; do
    a=$(echo "$ours" | sed -n "s/.*RESULT $op: median_ms=\([0-9.]*\) min_ms=\([0-9.]*\).*/\1 \2/p")
    b=$(echo "$peer" | sed -n "s/.*RESULT $op: median_ms=\([0-9.]*\) min_ms=\([0-9.]*\).*/\1 \2/p")
    awk -v op="$op" -v st="$stat" -v a="$a" -v b="$b" 'BEGIN {
      split(a, x, " "); split(b, y, " "); i = (st == "median") ? 1 : 2;
      printf "dsp %-14s %-6s ecgopt_ms=%.2f peer_ms=%.2f ratio=%.3f\n", op, st, x[i], y[i], x[i] / y[i] }'
  done
  a=$(echo "$ours" | sed -n "s/.*CPU $op: min_cpu_ms=\([0-9.]*\).*/\1/p")
  b=$(echo "$pcpu" | sed -n "s/.*CPU $op: min_cpu_ms=\([0-9.]*\).*/\1/p")
  awk -v op="$op" -v a="$a" -v b="$b" 'BEGIN {
    printf "dsp %-14s cpu    ecgopt_ms=%.2f peer_ms=%.2f ratio=%.3f\n", op, a, b, a / b }'
done
