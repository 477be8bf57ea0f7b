#!/usr/bin/env bash
# Optimiser overhead from Python (python/ecgopt): GWO and PSO, D = 30, 100,000
# evaluations of a trivial objective, per evaluation excluding the
# objective's own time, vectorized and per-point; the peer (mealpy if
# installed, else the NumPy reference GWO/PSO) in the same run.
# Lines end in ratio=<ecgopt/peer>.  Bars: <= 5 us vectorized, <= 20 us per point.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
B="${ECGOPT_BUILD:-$here/../../build}"
ECGOPT_LIB="$B/libecgopt.so" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
  /usr/bin/python3 "$here/py_overhead.py" "$@"
