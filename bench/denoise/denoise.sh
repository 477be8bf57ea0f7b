#!/usr/bin/env bash
# Denoising benchmark: every ecgopt method (bandpass, wavelet, median, vmd,
# iaoa-vmd) on 10 clean MIT-BIH MLII segments (100 103 105 112 113 115 117
# 121 122 123, 10 s from 1:00) + NSTDB bw/ma noise at input SNR -6..24 dB
# (nst scaling), and on NSTDB 118e*/119e* against clean 118/119; peers:
# SciPy band-pass and PyWavelets on the same inputs (denoise_prep.py).
# usage: denoise.sh [SECONDS] [METHODS]   e.g. denoise.sh 10 bandpass,wavelet
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ECGOPT_BUILD:=$here/../../build}"
: "${ECGOPT_SHARED:=$here/../../../shared}"
export ECGOPT_SHARED
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/denoise_prep.py" "$tmp" "${1:-10}" >&2
"$ECGOPT_BUILD/bench_denoise" "$tmp" ${2:+"$2"}
