#!/usr/bin/env bash
# Autoencoder mode vs the wavelet baseline on the 22 DS2 records (MLII lead,
# all 650000 samples).  Trains the model on DS1 (MLII) unless AE_MODEL names
# one, then prints, per latent step, mean CR / pooled CR / mean PRDN of the
# AE, the paper's CR (segment / latent) and the wavelet's mean CR at the same
# per-record PRDN; ratio = AE CR / wavelet CR.  The model size is printed
# once and not counted in CR.
#   AE_SEGMENTS (12000) AE_EPOCHS (15) AE_C (4) AE_F (16) AE_STEPS ("0.1 0.3 1")
#   AE_POOLS (empty: 4,5,6; e.g. 3,4,2 for 30 latent positions) AE_THREADS (1)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
B="${ECGOPT_BUILD:-$here/../../build}"
S="${ECGOPT_SHARED:-$(cd "$here/../../.." && pwd)/shared}"
D="$S/data/mitdb"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
model="${AE_MODEL:-}"
if [ -z "$model" ]; then
  model="$tmp/ae.eom"
  pools=()
  [ -n "${AE_POOLS:-}" ] && pools=(--pools "$AE_POOLS")
  "$B/ecgopt" compress --train --data "$S/data" -o "$model" --latent-channels "${AE_C:-4}" \
    --filters "${AE_F:-16}" "${pools[@]}" --segments "${AE_SEGMENTS:-12000}" \
    --epochs "${AE_EPOCHS:-15}" --threads "${AE_THREADS:-1}" --seed 1 --quiet
fi
"$B/bench_ae_rd" "$model" "$D" ${AE_STEPS:-0.1 0.3 1} 2>/dev/null
