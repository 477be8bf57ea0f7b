#!/usr/bin/env bash
# Classification: ecgopt's gbm and mlp vs the scikit-learn / XGBoost peer
# (/work/shared/peers/sklearn_bench.py) on a stratified 20,000-beat DS1
# subsample, tested on DS2, in the same run.  Prints fit-time ratios
# (ecgopt / peer) and both accuracies.  Note: the peer feeds the 256 z-scored
# samples of each beat; ecgopt's gbm uses its 14 RR + morphology features and
# its mlp the z-scored window plus RR channels (docs/classification.md).
set -euo pipefail
B="${ECGOPT_BUILD:-build}"
S="${ECGOPT_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}"
D="$S/data/mitdb"
T="${THREADS:-2}"
eo_gbm=$("$B/bench_classify" --model gbm --n-train 20000 --n-val 0 --threads "$T" --data "$D" 2>&1) || { echo "$eo_gbm"; exit 1; }
eo_mlp=$("$B/bench_classify" --model mlp --n-train 20000 --n-val 0 --epochs 20 --threads "$T" --data "$D" 2>&1) || { echo "$eo_mlp"; exit 1; }
peer=$(cd "$S/peers" && MITDB_DIR="$D" /usr/bin/python3 sklearn_bench.py --models mlp,xgb 2>&1) || { echo "$peer"; exit 1; }
echo "$eo_gbm" | grep -E "train|DS2 reference beats:" | sed 's/^/  ecgopt gbm: /'
echo "$eo_mlp" | grep -E "train|DS2 reference beats:" | sed 's/^/  ecgopt mlp: /'
echo "$peer" | grep -E "RESULT" | sed 's/^/  peer: /'
t_eg=$(echo "$eo_gbm" | sed -n 's/.*: train \([0-9.]*\) s.*/\1/p')
t_em=$(echo "$eo_mlp" | sed -n 's/.*: train \([0-9.]*\) s.*/\1/p')
t_pm=$(echo "$peer" | sed -n 's/.*RESULT MLP.*fit_s=\([0-9.]*\).*/\1/p')
t_px=$(echo "$peer" | sed -n 's/.*RESULT XGB.*fit_s=\([0-9.]*\).*/\1/p')
awk -v a="$t_eg" -v b="$t_px" 'BEGIN{printf "gbm fit on 20000 DS1 beats: ecgopt %.2f s, XGBClassifier %.2f s ratio=%.3f\n", a, b, a/b}'
awk -v a="$t_em" -v b="$t_pm" 'BEGIN{printf "mlp(10) fit on 20000 DS1 beats: ecgopt %.2f s, MLPClassifier %.2f s ratio=%.3f\n", a, b, a/b}'
