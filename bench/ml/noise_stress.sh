#!/usr/bin/env bash
# Noise-stress test of a beat classifier, the EC57 way, on the MIT-BIH Noise
# Stress Test Database: records 118 and 119 with electrode-motion noise added
# at 24, 18, 12, 6, 0 and -6 dB SNR (NSTDB's definition), scored against the
# reference annotations with EC57's 5-minute learning period (the noise
# starts after it).  118 and 119 are DS1 records, so the models are trained
# on DS1 with exactly those two held out (--val-set 118,119): the test
# patients are unseen, and DS2 is not looked at.
#
# Two gbm models (round-1 settings of docs/classification.md) are compared:
#   plain  no augmentation
#   aug    one augmented copy of every training beat carrying NSTDB's muscle
#          artifact record `ma` at 6 dB beat-to-noise power (--augment-copies 1
#          --augment-noise ma); the test noise is `em`, another record, so the
#          augmentation noise is not the test noise.
# Each model classifies each record at the reference beat positions (atr) and
# at ecgopt's own QRS detector's beats (det).
#
# usage: bench/ml/noise_stress.sh   (env: ECGOPT_BUILD, ECGOPT_SHARED, THREADS;
#        TRAIN: training options, default the gbm round-1 settings;
#        AUG: the augmentation options of the aug model, default as above;
#        SEED: training seed, default 1)
set -euo pipefail
B="${ECGOPT_BUILD:-build}"
S="${ECGOPT_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}"
M="$S/data/mitdb"
N="$S/data/nstdb"
T="${THREADS:-2}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
E="$B/ecgopt"
read -r -a train <<< "${TRAIN:---model gbm --class-weight 1.25 --align-ms 50 --lead2 #1}"
read -r -a aug <<< "${AUG:---augment-copies 1 --augment-noise $N/ma --augment-snr 6}"
common=("${train[@]}" --val-set 118,119 --data "$M" --threads "$T" --seed "${SEED:-1}" --quiet)
echo "train: ${train[*]}; aug model adds: ${aug[*]}"
"$E" train "${common[@]}" -o "$W/plain.model" >/dev/null
"$E" train "${common[@]}" "${aug[@]}" -o "$W/aug.model" >/dev/null

score() { # model beats out-dir data-dir record...
    local model=$1 beats=$2 out=$3 data=$4
    shift 4
    mkdir -p "$out"
    for r in "$@"; do
        "$E" classify --model "$model" "$data/$r" --beats "$beats" -o "$out/$r.cls" --quiet
    done
    "$E" evaluate --ref atr --test cls --test-dir "$out" --learning-period 300 --data "$data" \
        --json "$@"
}

printf '%-6s %-5s %-5s %7s %7s %7s %7s %7s %7s %7s\n' model beats SNR QRS_Se QRS_+P \
    VEB_Se VEB_+P SVEB_Se SVEB_+P acc
for m in plain aug; do
    for beats in atr detector; do
        for snr in clean 24 18 12 06 00 _6; do
            if [ "$snr" = clean ]; then
                j=$(score "$W/$m.model" "$beats" "$W/$m-$beats-clean" "$M" 118 119)
            else
                j=$(score "$W/$m.model" "$beats" "$W/$m-$beats-$snr" "$N" "118e$snr" "119e$snr")
            fi
            echo "$j" | /usr/bin/python3 -c '
import json, sys
m, b, s = sys.argv[1:4]
d = json.load(sys.stdin)
g = d["gross"]
s = s.replace("_", "-").lstrip("0") or "0"
print("%-6s %-5s %-5s %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f" % (m, b[:5], s,
      g["qrs_se"], g["qrs_ppv"], g["veb_se"], g["veb_ppv"], g["sveb_se"], g["sveb_ppv"],
      100 * d["classes"]["accuracy"]))' "$m" "$beats" "$snr"
        done
    done
done
