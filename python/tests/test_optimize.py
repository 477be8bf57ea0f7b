"""minimize / Optimizer / mixed spaces / cec2017 / bad input."""
import os

import numpy as np
import pytest

import ecgopt
from conftest import DATA, run_cli

BOX30 = [(-100.0, 100.0)] * 30


def sphere(x):
    return float(np.dot(x, x))


def test_sphere_d30_reaches_1e_8():
    r = ecgopt.minimize(sphere, BOX30, method="gwo", max_evals=30000, seed=1)
    assert r.fun <= 1e-8 and r.nfev == 30000 and r.x.shape == (30,)
    assert r.history.shape == (30000,) and r.history[-1] == r.fun
    assert np.all(np.diff(r.history) <= 0)
    # GWO is drawn to the origin; a shifted sphere shows the search itself works
    s = np.linspace(-50, 50, 30) + 3.3
    r = ecgopt.minimize(lambda X: ((X - s) ** 2).sum(1), BOX30, method="pso-constriction",
                        max_evals=30000, vectorized=True)
    assert r.fun <= 1e-8 and np.abs(r.x - s).max() < 1e-4


def test_vectorized_equals_per_point():
    a = ecgopt.minimize(lambda x: (x * x).sum(), BOX30, method="pso", max_evals=2000, seed=7)
    b = ecgopt.minimize(lambda X: (X * X).sum(1), BOX30, method="pso", max_evals=2000, seed=7,
                        vectorized=True)
    assert a.fun == b.fun and np.array_equal(a.x, b.x) and np.array_equal(a.history, b.history)
    c = ecgopt.minimize(sphere, BOX30, method="pso", max_evals=2000, seed=8)
    assert c.fun != a.fun
    d = ecgopt.minimize(sphere, BOX30, method="gwo", pop=10, iters=7)
    assert d.nit == 7 and d.nfev == 70


@pytest.mark.parametrize("method", ecgopt.methods())
def test_every_algorithm(method):
    n = 20 if method == "bo" else 600  # GP fits grow as n^3
    r = ecgopt.minimize(lambda X: ((X - 0.3) ** 2).sum(1), [(-5, 5)] * 3, method=method,
                        max_evals=n, vectorized=True, seed=3)
    assert r.nfev == n and r.fun < 0.5  # 1/60 of a random point's mean value (27.8)


def test_ask_tell():
    opt = ecgopt.Optimizer("gwo", BOX30, pop=12, seed=2, max_evals=1200)
    X = opt.ask()
    assert X.shape == (12, 30) and (np.abs(X) <= 100).all()
    assert np.array_equal(opt.ask(), X)  # asked again before tell: the same batch
    with pytest.raises(ValueError, match="expected 12 values"):
        opt.tell(X, np.zeros(11))
    with pytest.raises(ValueError, match="not the batch"):
        opt.tell(X + 1, np.zeros(12))
    with pytest.raises(TypeError):
        opt.tell(X, np.array(["a"] * 12))
    assert opt.nfev == 0 and np.array_equal(opt.ask(), X)  # nothing changed
    while opt.nfev < 1200:
        X = opt.ask()
        opt.tell(X, (X * X).sum(1))
    x, f = opt.best()
    ref = ecgopt.minimize(lambda X: (X * X).sum(1), BOX30, method="gwo", pop=12, seed=2,
                          max_evals=1200, vectorized=True)
    assert f == ref.fun and np.array_equal(x, ref.x)


def test_callback_raises_then_resumes():
    calls = {"n": 0}

    def flaky(x):
        calls["n"] += 1
        if calls["n"] == 500:
            raise KeyError("objective failed")
        return sphere(x)

    opt = ecgopt.Optimizer("pso", BOX30, seed=4, max_evals=3000)
    with pytest.raises(KeyError, match="objective failed"):
        opt.minimize(flaky)
    assert opt.nfev == 480  # 12 whole batches of 40 told; the 13th stays pending
    r = opt.minimize(flaky)  # re-evaluates the pending batch, goes on
    ref = ecgopt.minimize(sphere, BOX30, method="pso", seed=4, max_evals=3000)
    assert r.nfev == 3000 and r.fun == ref.fun and np.array_equal(r.x, ref.x)


def test_nan_is_a_failed_evaluation():
    def half_nan(x):
        return float("nan") if x[0] > 0 else sphere(x)

    r = ecgopt.minimize(half_nan, BOX30, method="gwo", max_evals=3000)
    assert r.nfev == 3000 and 0 < r.nfail < 3000 and np.isfinite(r.fun) and r.x[0] <= 0
    r = ecgopt.minimize(lambda x: float("inf"), [(0, 1)] * 2, method="pso", max_evals=100)
    assert r.nfail == 100 and r.x is None and r.fun == float("inf")
    assert np.isinf(r.history).all()
    with pytest.raises(ValueError, match="vectorized objective must return"):
        ecgopt.minimize(lambda X: 1.0, [(0, 1)] * 2, vectorized=True, max_evals=10)


def test_mixed_space():
    dims = [ecgopt.Real(1e-3, 1e3, log=True), ecgopt.Int(0, 9),
            ecgopt.Categorical(["db4", "sym8", "haar"]), (-1.0, 1.0)]
    seen = []

    def f(x):
        seen.append(x.copy())
        return (np.log10(x[0]) - 1) ** 2 + (x[1] - 3) ** 2 + (x[2] != 2) + (x[3] - 0.5) ** 2

    r = ecgopt.minimize(f, dims, method="cpa", max_evals=3000, seed=5)
    S = np.array(seen)
    assert (S[:, 1] == np.round(S[:, 1])).all() and S[:, 1].min() >= 0 and S[:, 1].max() <= 9
    assert set(np.unique(S[:, 2])) <= {0.0, 1.0, 2.0}
    assert S[:, 0].min() >= 1e-3 and S[:, 0].max() <= 1e3
    assert r.x[1] == 3 and r.x[2] == 2 and abs(r.x[0] - 10) < 0.5 and r.fun < 1e-3
    opt = ecgopt.Optimizer("ga", dims)
    assert opt.choices[2] == ["db4", "sym8", "haar"] and opt.choices[0] is None


def test_bad_bounds_and_options():
    with pytest.raises(ValueError, match="inverted"):
        ecgopt.minimize(sphere, [(1.0, -1.0)] * 3, max_evals=10)
    with pytest.raises(ValueError, match="shape"):
        ecgopt.minimize(sphere, np.zeros((3, 3)), max_evals=10)
    with pytest.raises(ValueError):
        ecgopt.minimize(sphere, [(0.0, np.nan)], max_evals=10)
    with pytest.raises(ValueError, match="bounds"):
        ecgopt.minimize(sphere, [], max_evals=10)
    with pytest.raises(ValueError, match="Int bounds"):
        ecgopt.Optimizer("gwo", [ecgopt.Int(0.5, 3)])
    with pytest.raises(ValueError, match="nosuch"):
        ecgopt.Optimizer("nosuch", BOX30)
    with pytest.raises(ValueError, match="pop"):
        ecgopt.Optimizer("gwo", BOX30, pop=0)
    with pytest.raises(ValueError):
        ecgopt.Optimizer("pso", BOX30, params="nokey=3")
    with pytest.raises(ValueError, match="max_evals"):
        ecgopt.Optimizer("gwo", BOX30).minimize(sphere)


def test_cec2017_equals_cli(ecgopt_bin, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(-100, 100, size=(5, 10))
    try:
        v = ecgopt.cec2017(5, X)
    except FileNotFoundError:
        pytest.skip("CEC 2017 data not found")
    pts = tmp_path / "p.txt"
    np.savetxt(pts, X, fmt="%.17g")
    with open(pts) as f:
        out = run_cli(ecgopt_bin, "cec2017", "eval", "--function", "5", "--dim", "10",
                      "--data", os.path.dirname(ecgopt._lib.lib_path) + "/../../shared/data"
                      if DATA is None else DATA, stdin=f)
    cli = np.array([float(t) for t in out.split()])
    assert v.shape == (5,) and np.allclose(v, cli, rtol=1e-15, atol=0)
    assert ecgopt.cec2017(5, X[0]) == v[0]  # one point
    with pytest.raises(ValueError, match="function 2"):
        ecgopt.cec2017(2, X)
    with pytest.raises(ValueError, match="D = 7"):
        ecgopt.cec2017(5, np.zeros((2, 7)))
