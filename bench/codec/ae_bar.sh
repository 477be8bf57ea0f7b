#!/usr/bin/env bash
# Issue 19's bar for the rate-distortion autoencoder (docs/codec.md,
# "Rate-distortion training"):
#  1. the model: AE_MODEL, or `ecgopt train --task compress` with no other
#     option (the library's default configuration, DS1 MLII only);
#  2. the 22 DS2 records, MLII lead, all 650000 samples: the AE at target
#     PRDN 5 % and 10 % per record (step chosen by bisection), every byte
#     of the .ecgz counted (model not counted; its size printed), then the
#     CDF 9/7 wavelet coder at the AE's PRDN on each record, same run;
#     ratio = mean AE CR / mean wavelet CR (bar >= 0.8);
#  3. encode + decode of all 48 records (both leads) in ae mode at a fixed
#     step (AE_STEP, default 1), CPU seconds (bar <= 60).
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
  "$B/ecgopt" train --task compress --data "$S/data" -o "$model" --quiet
fi
"$B/bench_ae_rd" "$model" "$D" p5 p10 2>"$tmp/per_record.txt"
recs=$(ls "$D"/*.hea | xargs -n1 basename | sed 's/\.hea$//' | sort)
"$B/bench_codec" --model "$model" --ae-step "${AE_STEP:-1}" "$D" $recs > "$tmp/all.txt"
tail -1 "$tmp/all.txt" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
  END { printf "ae all 48 records x 2 leads, fixed step: cr=%.3f mean_prdn=%.2f encode_cpu_s=%.2f decode_cpu_s=%.2f total_cpu_s=%.2f (bar <= 60) ratio=%.3f\n", v["cr"], v["mean_prdn"], v["encode_cpu_s"], v["decode_cpu_s"], v["encode_cpu_s"] + v["decode_cpu_s"], (v["encode_cpu_s"] + v["decode_cpu_s"]) / 60 }'
