#!/usr/bin/python3
"""Optimiser overhead seen from Python: ecgopt.minimize (GWO, PSO; D = 30,
100,000 evaluations of a trivial objective) against a peer on the same
problem in the same run.

Overhead per evaluation = (CPU time of the whole run - CPU time of the
objective's own calls) / evaluations.  The objective's own time is measured
by calling it on the same number of points outside any optimiser (per point:
a loop over prepared (D,) rows; vectorized: calls on prepared (pop, D)
batches) and subtracted.  Best of 3 (time.process_time; single thread).

Peer: mealpy (GWO.OriginalGWO, PSO.OriginalPSO) when it is importable; it is
not packaged by Debian and pip cannot fetch it offline, so otherwise the
peer is the NumPy reference implementation of the same two algorithms in
bench/opt/numpy_gwo_pso.py (labelled "numpy-ref"), run with the same
objective, per point (a Python loop inside its vectorized step) or
vectorized.  Lines end in ratio=<ecgopt/peer>.
Bars (issue 18): <= 5 us/eval vectorized, <= 20 us/eval per-point callback.
usage: py_overhead.py [--evals N]
"""
import argparse
import importlib.util
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import ecgopt  # noqa: E402

D, LO, HI = 30, -100.0, 100.0
POP = {"gwo": 30, "pso": 40}  # ecgopt's defaults, also the peers'


def trivial(x):
    return x[0]


def trivial_vec(X):
    return X[:, 0].copy()


def fun_time(n, pop, vectorized, reps=3):
    """CPU seconds the objective itself takes for n evaluations."""
    rng = np.random.default_rng(0)
    best = np.inf
    for _ in range(reps):
        if vectorized:
            batches = [rng.uniform(LO, HI, (pop, D)) for _ in range(n // pop)]
            t0 = time.process_time()
            for X in batches:
                trivial_vec(X)
        else:
            X = rng.uniform(LO, HI, (pop, D))
            rows = [X[i % pop] for i in range(n)]
            t0 = time.process_time()
            for x in rows:
                trivial(x)
        best = min(best, time.process_time() - t0)
    return best


def best_of(run, reps=3):
    best = np.inf
    for _ in range(reps):
        t0 = time.process_time()
        run()
        best = min(best, time.process_time() - t0)
    return best


def ecgopt_run(alg, n, vectorized):
    f = trivial_vec if vectorized else trivial
    return lambda: ecgopt.minimize(f, [(LO, HI)] * D, method=alg, pop=POP[alg], max_evals=n,
                                   vectorized=vectorized, seed=1)


def numpy_ref_run(alg, n, vectorized):
    spec = importlib.util.spec_from_file_location(
        "numpy_gwo_pso", os.path.join(HERE, "..", "opt", "numpy_gwo_pso.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    m.EVALS = n
    f = trivial_vec if vectorized else (lambda X: np.array([trivial(x) for x in X]))
    algo = m.gwo if alg == "gwo" else m.pso
    return lambda: algo(f, np.random.default_rng(1), POP[alg])


def mealpy_run(alg, n, vectorized):
    import mealpy
    from mealpy import GWO, PSO
    epochs = n // POP[alg] - 1  # mealpy evaluates the initial population too
    model = GWO.OriginalGWO(epoch=epochs, pop_size=POP[alg]) if alg == "gwo" else \
        PSO.OriginalPSO(epoch=epochs, pop_size=POP[alg])
    prob = dict(obj_func=trivial, bounds=mealpy.FloatVar(lb=[LO] * D, ub=[HI] * D),
                minmax="min", log_to=None)
    return lambda: model.solve(prob)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evals", type=int, default=100000)
    n = ap.parse_args().evals
    try:
        import mealpy  # noqa: F401
        peer, peer_run = "mealpy", mealpy_run
    except ImportError:
        peer, peer_run = "numpy-ref", numpy_ref_run
        print("# mealpy is not installed (not in Debian; pip cannot fetch it offline): the peer "
              "is the NumPy reference GWO/PSO of bench/opt/numpy_gwo_pso.py", flush=True)
    print(f"# ecgopt {ecgopt.lib_path}; D={D}, {n} evaluations, CPU s best of 3", flush=True)
    bars = {True: 5.0, False: 20.0}
    ok = True
    for vectorized in (True, False):
        kind = "vectorized" if vectorized else "per-point"
        for alg in ("gwo", "pso"):
            tf = fun_time(n, POP[alg], vectorized)
            ours = (best_of(ecgopt_run(alg, n, vectorized)) - tf) / n * 1e6
            if peer == "mealpy" and vectorized:
                theirs = float("nan")  # mealpy evaluates one point at a time only
            else:
                theirs = (best_of(peer_run(alg, n, vectorized)) - tf) / n * 1e6
            ok &= ours <= bars[vectorized]
            print(f"py overhead {alg} {kind:10s} D={D} us/eval: ecgopt={ours:.3f} "
                  f"{peer}={theirs:.3f} bar<={bars[vectorized]:.0f} ratio={ours / theirs:.4f}",
                  flush=True)
    print("bars: " + ("met" if ok else "NOT met"))


if __name__ == "__main__":
    main()
