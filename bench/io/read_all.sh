#!/usr/bin/env bash
# Record reading: all 48 MIT-BIH records (both signals, checksums verified,
# physical units) plus their .atr annotations, ecgopt (bench_wfdb_read) vs
# the NumPy reader ../shared/peers/wfdb_np.py, same files, same run.
# Target: ratio <= 0.1 (ecgopt at least 10x faster).
# ecgopt runs three ways: the batch reader (eo_wfdb_reader) producing
# float64, like the peer (the headline ratio, printed first); the reader
# producing float32 (what the downstream modules use; the peer still makes
# float64, so that line says so); and the per-record API
# (eo_wfdb_record_load + eo_wfdb_record_physical, float64) for comparison.
# Each line ends in ratio=<ecgopt ms / peer ms>: medians over REPS passes of
# the process CPU time (the build machine is shared, so wall time mostly
# measures the other jobs; the wall-time ratio is printed too).
# Both sides must agree on records, samples, beats, the mid-record values
# and the sum of every physical value (an untimed pass; float32 to 1e-6).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
B="${ECGOPT_BUILD:-$here/../../build}"
S="${ECGOPT_SHARED:-$(cd "$here/../../.." && pwd)/shared}"
REPS="${REPS:-5}"
peer=$(/usr/bin/python3 "$here/read_all_peer.py" --reps "$REPS" --shared "$S")
echo "peer         $peer"
field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
for mode in "reader f64" "reader f32" "load f64"; do
  set -- $mode
  ours=$("$B/bench_wfdb_read" --reps "$REPS" --api "$1" --precision "$2" "$S/data/mitdb")
  echo "ecgopt $1 $2 $ours"
  for f in records samples beats mid_mv_sum nan; do
    a=$(field "$ours" $f); b=$(field "$peer" $f)
    [ "$a" = "$b" ] || { echo "read_all: $f differs: ecgopt $a, peer $b" >&2; exit 1; }
  done
  a=$(field "$ours" all_mv_sum); b=$(field "$peer" all_mv_sum)
  tol=1e-9; [ "$2" = f32 ] && tol=1e-6
  awk -v a="$a" -v b="$b" -v t="$tol" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; exit !(d <= t * s) }' ||
    { echo "read_all: all_mv_sum differs: ecgopt $a, peer $b" >&2; exit 1; }
  w=$(field "$ours" median_ms); pw=$(field "$peer" median_ms)
  c=$(field "$ours" cpu_ms); pc=$(field "$peer" cpu_ms)
  case "$1 $2" in
    "reader f64") what="reader float64 vs peer float64" ;;
    "reader f32") what="reader float32 vs peer float64" ;;
    *) what="record_load+physical float64 vs peer float64" ;;
  esac
  awk -v a="$w" -v b="$pw" -v ac="$c" -v bc="$pc" -v what="$what" 'BEGIN { printf "read_all 48 records + annotations (%s) wall: ecgopt_ms=%.1f peer_ms=%.1f (wall ratio %.3f); cpu: ecgopt_ms=%.1f peer_ms=%.1f speedup=%.1fx ratio=%.3f\n", what, a, b, a / b, ac, bc, bc / ac, ac / bc }'
done
