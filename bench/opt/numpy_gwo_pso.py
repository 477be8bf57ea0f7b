#!/usr/bin/python3
"""NumPy peer for bench/opt: GWO and inertia-weight PSO written the usual
vectorised NumPy way (whole population per step), the same algorithms and
settings as ecgopt's "gwo" and "pso" (src/opt/gwo.c, src/opt/pso.c):

GWO (Mirjalili 2014): pack 30, a = 2 (1 - evals/max_evals), leaders alpha,
beta, delta = three best so far, positions clipped to the box.
PSO (Shi & Eberhart 1998): swarm 40, w 0.9 -> 0.4 by evals/max_evals,
c1 = c2 = 2, vmax = 0.2 (box width), global best, positions clipped with the
velocity zeroed at a wall.  Both stop after exactly max_evals evaluations.

Prints RESULT lines like bench_opt_overhead:
  overhead_<alg>: us_per_eval   (trivial objective f = x0)
  <alg>_sphere30: seconds       (shifted sphere, shift 60 sin(1+i))
  <alg>_cecf1_30: seconds       (CEC 2017 F1 D=30 from $CEC_DIR, if given)
Times are process CPU seconds (time.process_time), best of 3; run with
OPENBLAS_NUM_THREADS=1 (overhead.sh does) so both sides are single-threaded.
usage: numpy_gwo_pso.py [CEC_DIR]
"""
import os
import sys
import time

import numpy as np

D, EVALS, LO, HI = 30, 300000, -100.0, 100.0


def gwo(f, rng, n=30):
    X = rng.uniform(LO, HI, (n, D))
    lead = np.zeros((3, D))
    lf = np.full(3, np.inf)
    evals = 0
    while evals < EVALS:
        m = min(n, EVALS - evals)
        fit = f(X[:m])
        evals += m
        for i in np.argsort(fit, kind="stable")[:3]:
            fi = fit[i]
            if fi < lf[0]:
                lead[1:] = lead[:2].copy()
                lf[1:] = lf[:2].copy()
                lead[0], lf[0] = X[i], fi
            elif fi < lf[1]:
                lead[2], lf[2] = lead[1], lf[1]
                lead[1], lf[1] = X[i], fi
            elif fi < lf[2]:
                lead[2], lf[2] = X[i], fi
        a = 2.0 * (1.0 - evals / EVALS)
        Xn = np.zeros_like(X)
        for k in range(3):
            A = 2 * a * rng.random((n, D)) - a
            C = 2 * rng.random((n, D))
            Xn += lead[k] - A * np.abs(C * lead[k] - X)
        X = np.clip(Xn / 3.0, LO, HI)
    return lf[0]


def pso(f, rng, n=40):
    vmax = 0.2 * (HI - LO)
    X = rng.uniform(LO, HI, (n, D))
    V = np.zeros((n, D))
    P = X.copy()
    pf = np.full(n, np.inf)
    g, gf = X[0].copy(), np.inf
    evals = 0
    while evals < EVALS:
        m = min(n, EVALS - evals)
        fit = np.full(n, np.inf)
        fit[:m] = f(X[:m])
        evals += m
        better = fit < pf
        P[better], pf[better] = X[better], fit[better]
        i = int(np.argmin(pf))
        if pf[i] < gf:
            g, gf = P[i].copy(), pf[i]
        w = 0.9 + (0.4 - 0.9) * evals / EVALS
        r1, r2 = rng.random((n, D)), rng.random((n, D))
        V = np.clip(w * V + 2.0 * r1 * (P - X) + 2.0 * r2 * (g - X), -vmax, vmax)
        X = X + V
        wall = (X < LO) | (X > HI)
        V[wall] = 0.0
        X = np.clip(X, LO, HI)
    return gf


def timed(alg, f, reps=3):
    best_t, best_f = np.inf, None
    for r in range(reps):
        rng = np.random.default_rng(1)
        t0 = time.process_time()
        bf = alg(f, rng)
        t = time.process_time() - t0
        if t < best_t:
            best_t, best_f = t, bf
    return best_t, best_f


def main():
    shift = 60.0 * np.sin(1.0 + np.arange(D))
    trivial = lambda X: X[:, 0].copy()
    sphere = lambda X: np.sum((X - shift) ** 2, axis=1)
    algs = {"gwo": gwo, "pso": pso}
    for name, alg in algs.items():
        t, _ = timed(alg, trivial)
        print(f"RESULT overhead_{name}: us_per_eval={t / EVALS * 1e6:.4f}")
    for name, alg in algs.items():
        t, b = timed(alg, sphere)
        print(f"RESULT {name}_sphere30: seconds={t:.4f} best={b:.4g}")
    cec = sys.argv[1] if len(sys.argv) > 1 else None
    if cec and os.path.exists(os.path.join(cec, "M_1_D30.txt")):
        o = np.loadtxt(os.path.join(cec, "shift_data_1.txt")).ravel()[:D]
        M = np.loadtxt(os.path.join(cec, "M_1_D30.txt")).reshape(D, D)

        def f1(X):  # bent cigar on z = M (x - o), error f - f*
            Z = (X - o) @ M.T
            return Z[:, 0] ** 2 + 1e6 * np.sum(Z[:, 1:] ** 2, axis=1)

        for name, alg in algs.items():
            t, b = timed(alg, f1)
            print(f"RESULT {name}_cecf1_30: seconds={t:.4f} best={b:.4g}")


if __name__ == "__main__":
    main()
