#!/usr/bin/env bash
# Whole-database QRS detection on the MIT-BIH Supraventricular Arrhythmia
# Database: all 78 records at their native 128 Hz, first signal in the
# fallback order (ECG1), whole records, 150 ms window, scored by `ecgopt
# evaluate` against .atr; the NumPy/SciPy Pan-Tompkins peer (qrs_peer.py) in
# the same run, scored the same way.  Bar: gross Se >= 99.8 %, +P >= 99.7 %.
# Prints the gross lines and ratio=<ecgopt/peer>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ECGOPT_BUILD:=$here/../../build}"
: "${ECGOPT_SHARED:=$here/../../../shared}"
export ECGOPT_SHARED
D="$ECGOPT_SHARED/data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
R=$(cat "$D/svdb/RECORDS")
ALL=$(for r in $R; do echo svdb/$r; done)
t0=$(date +%s.%N)
"$ECGOPT_BUILD/ecgopt" detect --data "$D" $ALL -o "$tmp/" --quiet
t1=$(date +%s.%N)
"$ECGOPT_BUILD/ecgopt" evaluate --data "$D" --test qrs --test-dir "$tmp" $ALL > "$tmp/ours.txt"
mkdir -p "$tmp/peer"
line=$(MITDB_DIR="$D/svdb" /usr/bin/python3 "$here/qrs_peer.py" "$tmp/peer" $R)
/usr/bin/python3 "$here/beats_to_ann.py" "$tmp/peer" "$tmp" peer $R
"$ECGOPT_BUILD/ecgopt" evaluate --data "$D" --test peer --test-dir "$tmp" $ALL > "$tmp/peer.txt"
o=$(grep '^gross' "$tmp/ours.txt" | head -1)
p=$(grep '^gross' "$tmp/peer.txt" | head -1)
echo "ecgopt $o"
echo "peer   $p"
ps=$(sed 's/.*seconds=\([0-9.e-]*\).*/\1/' <<<"$line")
awk -v o="$o" -v p="$p" -v t0="$t0" -v t1="$t1" -v ps="$ps" 'BEGIN {
  split(o, a, " +"); split(p, b, " +");
  printf "qrs_svdb gross_se ecgopt=%.3f peer=%.3f ratio=%.4f\n", a[5], b[5], a[5] / b[5];
  printf "qrs_svdb gross_ppv ecgopt=%.3f peer=%.3f ratio=%.4f\n", a[6], b[6], a[6] / b[6];
  printf "qrs_svdb detect_seconds ecgopt=%.3f peer=%.3f ratio=%.4f (ecgopt includes reading)\n", t1 - t0, ps, (t1 - t0) / ps }'
