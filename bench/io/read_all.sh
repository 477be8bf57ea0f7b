#!/usr/bin/env bash
# Record reading: all 48 MIT-BIH records (both signals, checksums verified,
# physical units) plus their .atr annotations, ecgopt (bench_wfdb_read) vs
# the NumPy reader ../shared/peers/wfdb_np.py, same files, same run.
# Target: ratio <= 0.1 (ecgopt at least 10x faster).
# Prints a line ending in ratio=<ecgopt ms / peer ms>: medians over REPS passes
# of the process CPU time (the build machine is shared, so wall time mostly
# measures the other jobs; the wall-time ratio is printed too).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
B="${ECGOPT_BUILD:-$here/../../build}"
S="${ECGOPT_SHARED:-$(cd "$here/../../.." && pwd)/shared}"
REPS="${REPS:-5}"
ours=$("$B/bench_wfdb_read" --reps "$REPS" "$S/data/mitdb")
peer=$(/usr/bin/python3 "$here/read_all_peer.py" --reps "$REPS" --shared "$S")
echo "ecgopt $ours"
echo "peer   $peer"
# both must have read the same data
for f in records samples beats mid_mv_sum; do
  a=$(echo "$ours" | sed -n "s/.* $f=\([^ ]*\).*/\1/p")
  b=$(echo "$peer" | sed -n "s/.* $f=\([^ ]*\).*/\1/p")
  [ "$a" = "$b" ] || { echo "read_all: $f differs: ecgopt $a, peer $b" >&2; exit 1; }
done
a=$(echo "$ours" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
b=$(echo "$peer" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
ac=$(echo "$ours" | sed -n 's/.*cpu_ms=\([0-9.]*\).*/\1/p')
bc=$(echo "$peer" | sed -n 's/.*cpu_ms=\([0-9.]*\).*/\1/p')
awk -v a="$a" -v b="$b" -v ac="$ac" -v bc="$bc" 'BEGIN { printf "read_all 48 records + annotations wall: ecgopt_ms=%.1f peer_ms=%.1f (wall ratio %.3f); cpu: ecgopt_ms=%.1f peer_ms=%.1f speedup=%.1fx ratio=%.3f\n", a, b, a / b, ac, bc, bc / ac, ac / bc }'
