#!/usr/bin/python3
"""NumPy peer for bench/opt/cec2017.sh: F1 (bent cigar), F5 (Rastrigin) and
F10 (Schwefel) of CEC 2017 written the way the official code computes them,
vectorised over the dimension; prints the same lines as bench_cec2017."""
import sys
import time

import numpy as np

D = int(sys.argv[1])
data = sys.argv[2]
funcs = [int(a) for a in sys.argv[3:]]


def load(f):
    M = np.loadtxt("%s/M_%d_D%d.txt" % (data, f, D))[:D, :D]
    o = np.loadtxt("%s/shift_data_%d.txt" % (data, f)).ravel()[:D]
    return M, o


def make(f):
    M, o = load(f)
    if f == 1:
        def fn(x):
            z = M @ (x - o)
            return z[0] * z[0] + 1e6 * np.dot(z[1:], z[1:]) + 100.0
    elif f == 5:
        def fn(x):
            z = M @ ((x - o) * 0.0512)
            return np.sum(z * z - 10.0 * np.cos(2 * np.pi * z) + 10.0) + 500.0
    elif f == 10:
        def fn(x):
            z = M @ ((x - o) * 10.0) + 4.209687462275036e+002
            s = np.where(z > 500, -(500.0 - np.fmod(z, 500)) * np.sin(np.sqrt(np.abs(500.0 - np.fmod(z, 500)))) + ((z - 500) / 100) ** 2 / D,
                np.where(z < -500, -(-500.0 + np.fmod(np.abs(z), 500)) * np.sin(np.sqrt(np.abs(500.0 - np.fmod(np.abs(z), 500)))) + ((z + 500) / 100) ** 2 / D,
                         -z * np.sin(np.sqrt(np.abs(z)))))
            return np.sum(s) + 4.189828872724338e+002 * D + 1000.0
    else:
        raise SystemExit("peer: F%d not implemented" % f)
    return fn


for f in funcs:
    fn = make(f)
    x = -50.0 + 100.0 * np.arange(D) / D
    f0 = fn(x.copy())
    n = 0
    t0 = time.perf_counter()
    while True:
        for k in range(1000):
            x[k % D] += 1e-12
            fn(x)
        n += 1000
        t = time.perf_counter() - t0
        if t > 0.5:
            break
    print("F%d D=%d us_per_eval=%.4f f0=%.17g" % (f, D, 1e6 * t / n, f0))
