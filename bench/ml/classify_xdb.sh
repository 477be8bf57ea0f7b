#!/usr/bin/env bash
# Issue 15's two classifier bars, measured end to end with the ecgopt
# command (no peer: there is no other tool to run on these protocols, so no
# ratio is printed):
#   1. trained on all 44 non-paced MIT-BIH records, tested on all 78 SVDB
#      records at their native 128 Hz;
#   2. trained on MIT-BIH DS1 + all 78 SVDB records, tested on DS2;
# each scored the EC57 way (gross, 150 ms) against .atr with the reference
# beat positions and with ecgopt's own QRS detector.  Per-record tables go to
# $OUT/*.txt (docs/classification-xdb.md).  The model options are the
# library's defaults plus $OPTS (default: none); nothing here selects
# anything: the settings were chosen by patient-wise CV inside the training
# databases (bench_xdb cv, docs/classification.md).
# Takes ~10-25 min on one thread (two trainings, 2 x 78 + 2 x 22 records).
set -euo pipefail
B="${ECGOPT_BUILD:-build}"
S="${ECGOPT_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}"
OUT="${OUT:-/tmp/eo_xdb}"
OPTS="${OPTS:-}"
E="$B/ecgopt"
mkdir -p "$OUT"
svdb=$(sed 's|^|svdb/|' "$S/data/svdb/RECORDS")
ds2="100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234"
ds2=$(for r in $ds2; do echo "mitdb/$r"; done)
score() { # model tag records...
  local m=$1 tag=$2; shift 2
  for beats in atr detector; do
    local d="$OUT/$tag-$beats"
    rm -rf "$d"; mkdir -p "$d"
    for r in "$@"; do
      local a=(); [ "$beats" = detector ] && a=(--beats detector)
      "$E" classify --model "$m" "$r" "${a[@]}" -o "$d/$(basename "$r").cls" --quiet --data "$S/data" 2>/dev/null
    done
    "$E" evaluate --test cls --test-dir "$d" --data "$S/data" "$@" > "$OUT/$tag-$beats.txt"
    echo "$tag $beats: $(grep -E '^ *gross' "$OUT/$tag-$beats.txt" | head -1)"
    grep -iE 'accuracy' "$OUT/$tag-$beats.txt" | head -1 | sed "s/^/$tag $beats: /"
  done
}
PART="${PART:-all}" # 1, 2 or all (two shells can run the two bars side by side)
if [ "$PART" != 2 ]; then
  # shellcheck disable=SC2086
  "$E" train --task classify --model gbm $OPTS --threads 1 --data "$S/data" --train mitdb \
    --val-records 0 -o "$OUT/all44.model" --quiet
  score "$OUT/all44.model" all44-svdb $svdb
fi
[ "$PART" = 1 ] && exit 0
# shellcheck disable=SC2086
"$E" train --task classify --model gbm $OPTS --threads 1 --data "$S/data" --train mitdb:ds1,svdb \
  --val-records 0 -o "$OUT/ds1svdb.model" --quiet
score "$OUT/ds1svdb.model" ds1svdb-ds2 $ds2
