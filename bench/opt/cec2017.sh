#!/usr/bin/env bash
# CEC 2017 evaluation cost: ecgopt's C suite against a NumPy implementation
# of the same functions (official-code formulas), same data, same point.
# Prints per function and D the time per evaluation, checks both give the
# same f(x0), and ends each line with ratio=<ecgopt/peer>.
set -euo pipefail
B=${ECGOPT_BUILD:-build}
S=${ECGOPT_SHARED:-../shared}
for d in 10 30; do
  "$B/bench_cec2017" "$d" 1 5 10 > /tmp/eo_bench_cec_c.$$
  /usr/bin/python3 "$(dirname "$0")/cec2017_peer.py" "$d" "$S/data/cec2017" 1 5 10 > /tmp/eo_bench_cec_p.$$
  paste -d' ' /tmp/eo_bench_cec_c.$$ /tmp/eo_bench_cec_p.$$ | while read -r fc dc tc f0c fp dp tp f0p; do
    c=${tc#us_per_eval=}; p=${tp#us_per_eval=}
    a=${f0c#f0=}; b=${f0p#f0=}
    same=$(/usr/bin/python3 -c "print('same' if abs($a-$b) <= 1e-9*abs($b) else 'DIFFERENT')")
    echo "cec2017 $fc $dc ecgopt_us=$c numpy_us=$p f(x0) $same ratio=$(/usr/bin/python3 -c "print('%.4f' % ($c/$p))")"
  done
  /bin/rm -f /tmp/eo_bench_cec_c.$$ /tmp/eo_bench_cec_p.$$
done
# all functions, ecgopt only (for docs/cec2017.md)
for d in 10 30; do
  "$B/bench_cec2017" "$d" 1 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 |
    awk -v d="$d" '{split($3,a,"="); s+=a[2]; n++} END {printf "cec2017 all-29 D=%d mean_us_per_eval=%.3f\n", d, s/n}'
done
