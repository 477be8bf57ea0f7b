#!/usr/bin/python3
"""scipy.signal.resample_poly on the same test signals as bench_resample.c
(20 tones up to 0.4 of the lower rate, 30 min at fs_in), same error measure.
Prints RESULT scipy <fi>-><fo>: ms=<median> err_db=<dB> lag=0"""
import math
import sys
import time
import numpy as np
import scipy.signal as ss

reps = int(sys.argv[sys.argv.index('--reps') + 1]) if '--reps' in sys.argv else 5
rng = np.random.default_rng(7)
for fi, fo in ((360, 128), (128, 360), (360, 257), (360, 500)):
    g = math.gcd(fi, fo)
    up, down = fo // g, fi // g
    n = 1800 * fi
    nref = -(-n * up // down)
    fmax = 0.4 * min(fi, fo)
    f = 0.5 + (fmax - 0.5) * rng.random(20)
    ph = 2 * np.pi * rng.random(20)

    def tones(m, fs):
        t = np.arange(m) / fs
        return np.sin(2 * np.pi * f[None, :] * t[:, None] + ph[None, :]).sum(1) / math.sqrt(10)
    x, ref = tones(n, fi), tones(nref, fo)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        y = ss.resample_poly(x, up, down, padtype='edge')
        ts.append(time.perf_counter() - t0)
    a, b = fo, nref - fo
    e = 10 * np.log10(np.sum((y[a:b] - ref[a:b]) ** 2) / np.sum(ref[a:b] ** 2))
    print('RESULT scipy %g->%g: ms=%.2f err_db=%.1f lag=0' % (fi, fo, 1e3 * np.median(ts), e))
