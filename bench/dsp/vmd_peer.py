#!/usr/bin/python3
"""Peer side of bench/dsp/vmd_vs_vmdpy.sh: cut an MIT-BIH MLII segment, time
vmdpy (NumPy) on it, and leave the segment and vmdpy's modes as raw float64
files for bench_vmd.  vmdpy is not vendored: it is imported from $VMDPY_DIR
(the directory holding vmdpy.py) or from an installed `vmdpy` package.

usage: vmd_peer.py RECORD SECONDS K ALPHA TOL OUTDIR"""
import os
import sys
import time

import numpy as np

peers = os.path.join(os.environ.get("ECGOPT_SHARED", "../shared"), "peers")
sys.path.insert(0, peers)
if os.environ.get("VMDPY_DIR"):
    sys.path.insert(0, os.environ["VMDPY_DIR"])
import wfdb_np  # noqa: E402
from vmdpy import VMD  # noqa: E402

rec, seconds, K, alpha, tol, outdir = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), \
    float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
sig, hdr = wfdb_np.read_record(os.path.join(os.environ.get("ECGOPT_SHARED", "../shared"), "data", "mitdb"), rec)
fs = hdr["fs"]
n = int(round(seconds * fs))
n -= n % 2  # vmdpy drops the last sample of odd lengths
x = np.ascontiguousarray(sig[:n, 0])
reps = 3 if seconds <= 10 else 1
best = 1e30
for _ in range(reps):
    t0 = time.perf_counter()
    u, u_hat, omega = VMD(x, alpha, 0.0, K, 0, 1, tol)
    best = min(best, time.perf_counter() - t0)
x.astype("<f8").tofile(os.path.join(outdir, "seg.f64"))
u.astype("<f8").tofile(os.path.join(outdir, "modes.f64"))
print("vmdpy n=%d K=%d updates=%d seconds=%.6f fs=%g" % (n, K, omega.shape[0], best, fs))
