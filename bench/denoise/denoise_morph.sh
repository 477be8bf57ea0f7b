#!/usr/bin/env bash
# Morphology-aware denoising benchmark (docs/denoise.md): DeepFilter-style
# beats (DS2, NSTDB bw/ma channel 1), whole-segment SNR at -6..24 dB,
# NSTDB electrode-motion records against clean 118/119, QRS Se/+P, and the
# learned model's speed on a whole 30-min two-lead record.
# usage: denoise_morph.sh [beats|snr|em|speed|all] [METHODS] [--model F.eom]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ECGOPT_BUILD:=$here/../../build}"
mode="${1:-all}"; shift || true
if [ "$mode" = all ]; then
  for m in speed em snr beats; do nice -n 10 "$ECGOPT_BUILD/bench_denoise_morph" "$m" "$@"; done
else
  nice -n 10 "$ECGOPT_BUILD/bench_denoise_morph" "$mode" "$@"
fi
