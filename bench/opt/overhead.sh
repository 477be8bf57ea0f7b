#!/usr/bin/env bash
# Optimiser framework overhead and wall time: ecgopt GWO/PSO vs the NumPy
# implementation in numpy_gwo_pso.py, D=30, 300,000 evaluations, same run.
# CPU seconds (single-threaded both sides), best of 3.
# Lines end in ratio=<ecgopt/numpy>.  Bar: overhead < 1 us/eval (absolute).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
B="${ECGOPT_BUILD:-$here/../../build}"
S="${ECGOPT_SHARED:-$(cd "$here/../../.." && pwd)/shared}"
cec="$S/data/cec2017"
ours=$("$B/bench_opt_overhead" "$cec")
peer=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 "$here/numpy_gwo_pso.py" "$cec")
echo "$ours" | sed 's/^/ecgopt /'
echo "$peer" | sed 's/^/numpy  /'
get() { echo "$1" | sed -n "s/.*RESULT $2: $3=\([0-9.e+-]*\).*/\1/p" | head -1; }
for alg in gwo pso; do
  a=$(get "$ours" "overhead_$alg" us_per_eval); b=$(get "$peer" "overhead_$alg" us_per_eval)
  n=$(get "$ours" "overhead_${alg}_nohist" us_per_eval)
  awk -v g="$alg" -v a="$a" -v n="$n" -v b="$b" 'BEGIN { printf "opt overhead %-3s D=30 us/eval: ecgopt=%.3f (no history %.3f) numpy=%.3f ratio=%.4f\n", g, a, n, b, a / b }'
done
for f in sphere30 cecf1_30; do
  for alg in gwo pso; do
    a=$(get "$ours" "${alg}_$f" seconds); b=$(get "$peer" "${alg}_$f" seconds)
    [ -n "$a" ] && [ -n "$b" ] || continue
    awk -v g="$alg" -v f="$f" -v a="$a" -v b="$b" 'BEGIN { printf "opt wall %-3s %-9s 300000 evals s: ecgopt=%.3f numpy=%.3f ratio=%.4f\n", g, f, a, b, a / b }'
  done
done
