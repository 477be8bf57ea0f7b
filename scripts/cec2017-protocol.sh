#!/bin/sh
# The full CEC 2017 protocol (51 runs, 10000*D evaluations) for the
# optimisers of issue 4, one function at a time so that an interrupted
# protocol resumes where it stopped (a function whose errors.csv exists is
# skipped).  Afterwards the tables (mean error, Friedman ranks, Wilcoxon vs
# the reference) are printed from all the per-function results with
# `ecgopt bench cec2017 --summarize`.
#
# usage: scripts/cec2017-protocol.sh [DIM [RUNS [OUTDIR]]]
#   env: ECGOPT_BIN (default build/ecgopt), ALGORITHMS (default
#        ga,pso,gwo,cpa,olcpa,aoa,iaoa), AGAINST (olcpa), WORKERS (0 = all
#        cores), SEED (1), FUNCTIONS ("1 3 4 ... 30"), NICE (10),
#        BATCH (runs per batch, default RUNS): with BATCH < RUNS the runs are done
#        in rounds over all functions (runs 1..BATCH of every function, then the
#        next BATCH, ...), so a protocol stopped early has complete rounds;
#        run numbers (and so seeds) do not depend on BATCH.
# example: scripts/cec2017-protocol.sh 10 51 results/cec2017-d10
set -eu
DIM=${1:-10}
RUNS=${2:-51}
OUT=${3:-results/cec2017-d$DIM}
BIN=${ECGOPT_BIN:-build/ecgopt}
ALGS=${ALGORITHMS:-ga,pso,gwo,cpa,olcpa,aoa,iaoa}
AGAINST=${AGAINST:-olcpa}
WORKERS=${WORKERS:-0}
SEED=${SEED:-1}
NICE=${NICE:-10}
FUNCS=${FUNCTIONS:-"1 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30"}
BATCH=${BATCH:-$RUNS}
mkdir -p "$OUT"
first=1
while [ "$first" -le "$RUNS" ]; do
    n=$BATCH
    if [ $((first + n - 1)) -gt "$RUNS" ]; then
        n=$((RUNS - first + 1))
    fi
    for f in $FUNCS; do
        if [ "$BATCH" -ge "$RUNS" ]; then d="$OUT/F$f"; else d="$OUT/F$f-r$first"; fi
        if [ -f "$d/errors.csv" ]; then
            continue
        fi
        echo "cec2017-protocol: D=$DIM F$f runs $first..$((first + n - 1)) ($ALGS) $(date -u +%H:%M:%S)" >&2
        nice -n "$NICE" "$BIN" bench cec2017 --algorithms "$ALGS" --against "$AGAINST" \
            --dim "$DIM" --runs "$n" --first-run "$first" --functions "$f" \
            --threads "$WORKERS" --seed "$SEED" --csv "$d" --quiet > "$d.md"
    done
    first=$((first + n))
done
"$BIN" bench cec2017 --summarize "$OUT" --against "$AGAINST"
