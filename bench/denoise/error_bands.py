#!/usr/bin/env python3
"""Where a denoiser's error is, by frequency band (docs/denoise.md).

usage: EO_BENCH_DUMP=DIR bench_denoise_morph beats learned --val ... (writes DIR)
       error_bands.py DIR SEGMENTS REC [REC ...]

DIR holds, per noise nz (0 bw, 1 ma, 2 em-like) and method m, the float64
signals the beat benchmark wrote: nz{nz}_m-1.f64 = (clean reference, noisy
input) per 20-s segment, nz{nz}_m7.f64 = the learned model's output.
SEGMENTS is the --segments the bench ran with, RECs the records in its
order.  Prints, per noise and record, the energy (sum of squares / segment,
mV^2, 1 s cut at each end) of the clean signal, of the noise and of the
learned model's error in the bands 0-0.7, 0.7-1.5, 1.5-5, 5-15, 15-40 and
40+ Hz (order-4 zero-phase Butterworth).  Needs numpy and scipy."""
import os
import sys

import numpy as np
from scipy import signal

FS, SEG = 360, 7200
BANDS = [(0, 0.7), (0.7, 1.5), (1.5, 5), (5, 15), (15, 40), (40, FS / 2)]


def band_energy(e):
    out = []
    for lo, hi in BANDS:
        if lo == 0:
            sos = signal.butter(4, hi, "low", fs=FS, output="sos")
        elif hi >= FS / 2:
            sos = signal.butter(4, lo, "high", fs=FS, output="sos")
        else:
            sos = signal.butter(4, [lo, hi], "band", fs=FS, output="sos")
        out.append((signal.sosfiltfilt(sos, e, axis=1) ** 2).sum() / len(e))
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    d, segs, recs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    print("noise  record what   " + " ".join(f"{lo:g}-{hi:g}".rjust(9) for lo, hi in BANDS))
    for nz, name in enumerate(("bw", "ma", "em-like")):
        ref = f"{d}/nz{nz}_m-1.f64"
        if not os.path.exists(ref):
            continue
        a = np.fromfile(ref)
        n = len(a) // (2 * SEG)
        a = a.reshape(n, 2, SEG)
        y = np.fromfile(f"{d}/nz{nz}_m7.f64").reshape(n, SEG)
        if n != segs * len(recs):
            sys.exit(f"error_bands.py: {ref}: {n} segments, not {segs} x {len(recs)}")
        for k, r in enumerate(recs):
            sl = slice(k * segs, (k + 1) * segs)
            c, z = a[sl, 0, FS:-FS], a[sl, 1, FS:-FS]
            nzs = z - c
            nzs = nzs - nzs.mean(axis=1, keepdims=True)
            for what, e in (("clean", c), ("noise", nzs), ("error", y[sl, FS:-FS] - c)):
                print(f"{name:7s}{r:7s}{what:7s}" + " ".join(f"{v:9.2f}" for v in band_energy(e)))


if __name__ == "__main__":
    main()
