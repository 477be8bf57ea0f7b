#!/usr/bin/env bash
# VMD speed: ecgopt vs vmdpy (NumPy) on MIT-BIH record 100 MLII, 10-s and 60-s
# segments, K=5, alpha=2000, tau=0, init uniform, tol=1e-7.  Bar: ratio <= 0.05
# (>= 20x faster).  vmdpy is not vendored: set VMDPY_DIR to the directory
# holding vmdpy.py (e.g. a checkout of github.com/vrcarva/vmdpy/vmdpy) or
# pip-install vmdpy.  Prints lines ending in ratio=<ecgopt/vmdpy>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ECGOPT_BUILD:=$here/../../build}"
: "${ECGOPT_SHARED:=$here/../../../shared}"
export ECGOPT_SHARED
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for secs in 10 60; do
  line=$(/usr/bin/python3 "$here/vmd_peer.py" 100 "$secs" 5 2000 1e-7 "$tmp")
  echo "# $line"
  updates=$(sed 's/.*updates=\([0-9]*\).*/\1/' <<<"$line")
  peer=$(sed 's/.*seconds=\([0-9.e-]*\).*/\1/' <<<"$line")
  fs=$(sed 's/.*fs=\([0-9.]*\).*/\1/' <<<"$line")
  "$ECGOPT_BUILD/bench_vmd" "$tmp/seg.f64" "$tmp/modes.f64" "$fs" 5 2000 1e-7 "$updates" "$peer"
done
