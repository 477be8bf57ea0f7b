#!/usr/bin/env bash
# One trial of the learned denoiser's tuning study (bench/denoise/tune_learned.space,
# docs/denoise.md "Tuning with the study engine"): train the network
# conv(CH,K) relu, conv(CH,K,dilation=2) relu, ... dilation 2^(LAYERS-1) relu, conv(1,K)
# with `ecgopt train --task denoise` on a short budget (BUDGET windows of 1024
# samples' worth, EPOCHS epochs, no stage 2; the recipe's other defaults:
# noise holdout 0.2), its second input the beat template over TEMPLATE beats
# each side (0: one input), then score it on the DS1 validation beats with
# the held-out noise (records 122 and 230, the last 20 % of NSTDB channel 0:
# bench_denoise_morph beats learned --val --val-noise-tail 0.2), never on
# DS2 or channel 1.
# Last stdout line: the fitness, mean per-beat SSD (mV^2) over bw and ma.
# usage: tune_learned_trial.sh CH LAYERS KHALF LR SEED [TEMPLATE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ECGOPT_BUILD:=$here/../../build}"
: "${TUNE_BUDGET:=1000}"
: "${TUNE_EPOCHS:=3}"
: "${TUNE_SEGMENTS:=10}"
ch=$1 layers=$2 kh=$3 lr=$4 seed=$5 tk=${6:-16}
k=$((2 * kh + 1))
spec=""
d=1
for ((i = 0; i < layers; i++)); do
  if [ "$d" = 1 ]; then spec+="conv($ch,$k) relu "; else spec+="conv($ch,$k,dilation=$d) relu "; fi
  d=$((d * 2))
done
spec+="conv(1,$k)"
margin=$((kh * d))                # kh x (1 + 2 + ... + 2^(layers-1) + 1)
window=1024
while [ $window -lt $((4 * margin)) ]; do window=$((window * 2)); done
windows=$((TUNE_BUDGET * 1024 / window))
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$ECGOPT_BUILD/ecgopt" train --task denoise -o "$tmp/m.eom" --spec "$spec" --margin $margin \
  --window $window --windows $windows --val-windows 200 --epochs "$TUNE_EPOCHS" --lr "$lr" \
  --stage2-epochs 0 --template "$tk" --seed "$seed" --threads 1 --quiet ${ECGOPT_DATA:+--data "$ECGOPT_DATA"} >&2
"$ECGOPT_BUILD/bench_denoise_morph" beats learned --val --val-noise-tail 0.2 --segments "$TUNE_SEGMENTS" \
  --model "$tmp/m.eom" ${ECGOPT_DATA:+--data "$ECGOPT_DATA"} >"$tmp/b.txt"
awk '$1 == "learned" { s += $2; n++ } END { if (n != 2) exit 1; printf "%.6f\n", s / n }' "$tmp/b.txt"
