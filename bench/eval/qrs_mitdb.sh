#!/usr/bin/env bash
# Whole-database QRS detection: ecgopt's streaming detector vs a NumPy/SciPy
# Pan-Tompkins peer (qrs_peer.py), all 48 MIT-BIH records, lead MLII (V5 for
# 102 and 104), whole records, both scored by ecgopt's EC57 comparison against
# the reference .atr beats.  Bar: gross Se >= 99.7% and +P >= 99.7%.
# Prints a per-record table and lines ending in ratio=<ecgopt/peer>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ECGOPT_BUILD:=$here/../../build}"
: "${ECGOPT_SHARED:=$here/../../../shared}"
export ECGOPT_SHARED
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
line=$(MITDB_DIR="$ECGOPT_SHARED/data/mitdb" /usr/bin/python3 "$here/qrs_peer.py" "$tmp")
echo "# $line"
PEER_BEATS_DIR="$tmp" PEER_SECONDS=$(sed 's/.*seconds=\([0-9.e-]*\).*/\1/' <<<"$line") \
  "$ECGOPT_BUILD/bench_qrs" "$ECGOPT_SHARED/data/mitdb"
