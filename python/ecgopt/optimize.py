"""Optimisers (src/opt, docs/optimizers.md): ask/tell `Optimizer`,
`minimize`, mixed search spaces, and the CEC 2017 benchmark functions.

The evaluation loop runs in Python over the library's ask/tell: every
algorithm's state lives in C, the objective is called with NumPy arrays,
and an exception raised by the objective propagates unchanged while the
optimiser keeps its pending batch (asking again returns the same batch), so
the optimiser stays usable.  An objective value that is NaN or +-inf is a
failed evaluation (EO_EVAL_FAILED): counted in nfev and nfail, treated as
+inf by the algorithm, never the best point."""
import ctypes
import os

import numpy as np

from . import _lib as L

__all__ = ["Real", "Int", "Categorical", "Optimizer", "OptimizeResult", "minimize", "methods",
           "cec2017"]

_EVAL_OK, _EVAL_FAILED, _EVAL_SKIPPED = 0, 1, 2


class Real:
    """A continuous dimension [lo, hi] (log=True: log scale, lo > 0)."""

    def __init__(self, lo, hi, log=False, name=None):
        self.lo, self.hi, self.log, self.name = lo, hi, log, name


class Int:
    """An integer dimension [lo, hi], both inclusive."""

    def __init__(self, lo, hi, log=False, name=None):
        self.lo, self.hi, self.log, self.name = lo, hi, log, name


class Categorical:
    """One of `choices`; the objective sees its index (0..n-1) as a float."""

    def __init__(self, choices, name=None):
        self.choices, self.name = list(choices), name


def methods():
    """Names of every optimiser of the library."""
    p = L.lib.eo_optimizer_names()
    out, i = [], 0
    while p[i]:
        out.append(L.u(p[i]))
        i += 1
    return out


def _dims(bounds):
    """bounds -> list of Real/Int/Categorical.  An (D, 2) array-like of
    (lo, hi) rows gives D continuous dims; a list may mix (lo, hi) pairs with
    Real/Int/Categorical objects."""
    if isinstance(bounds, np.ndarray) or (
            isinstance(bounds, (list, tuple)) and bounds and
            all(isinstance(b, (list, tuple, np.ndarray)) for b in bounds)):
        a = np.asarray(bounds)
        if a.dtype.kind not in "iuf":
            raise TypeError(f"bounds: expected numbers, got dtype {a.dtype}")
        if a.ndim != 2 or a.shape[1] != 2 or a.shape[0] == 0:
            raise ValueError(f"bounds: expected a (D, 2) array of (lo, hi) rows, got shape "
                             f"{a.shape}")
        return [Real(float(lo), float(hi)) for lo, hi in a]
    if not isinstance(bounds, (list, tuple)) or not bounds:
        raise ValueError("bounds: expected a (D, 2) array or a non-empty list of dimensions")
    out = []
    for i, b in enumerate(bounds):
        if isinstance(b, (Real, Int, Categorical)):
            out.append(b)
        elif isinstance(b, (list, tuple)) and len(b) == 2:
            out.append(Real(float(b[0]), float(b[1])))
        else:
            raise ValueError(f"bounds[{i}]: expected (lo, hi), Real, Int or Categorical, got {b!r}")
    return out


class _Space:
    def __init__(self, dims):
        self.h = L.c_void_p()
        err = L.ErrorBuf()
        L.check(L.lib.eo_space_create(ctypes.byref(self.h), ctypes.byref(err)), err)
        try:
            for i, d in enumerate(dims):
                name = L.s(d.name or f"x{i}")
                if isinstance(d, Real):
                    st = L.lib.eo_space_add_real(self.h, name, float(d.lo), float(d.hi),
                                                 int(bool(d.log)), ctypes.byref(err))
                elif isinstance(d, Int):
                    if int(d.lo) != d.lo or int(d.hi) != d.hi:
                        raise ValueError(f"bounds[{i}]: Int bounds must be integers")
                    st = L.lib.eo_space_add_int(self.h, name, int(d.lo), int(d.hi),
                                                int(bool(d.log)), ctypes.byref(err))
                else:
                    ch = (L.c_char_p * len(d.choices))(*[L.s(str(c)) for c in d.choices])
                    st = L.lib.eo_space_add_categorical(self.h, name, ch, len(d.choices),
                                                        ctypes.byref(err))
                L.check(st, err)
        except BaseException:
            L.lib.eo_space_destroy(self.h)
            self.h = None
            raise

    def __del__(self):
        if getattr(self, "h", None):
            L.lib.eo_space_destroy(self.h)
            self.h = None


class OptimizeResult:
    """x (best decoded point), fun (its value), nfev (evaluations, failed
    included), nfail, nit (ask/tell rounds), history (best-so-far value after
    each evaluation, +inf before the first success), method."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        return (f"OptimizeResult(method={self.method!r}, fun={self.fun!r}, nfev={self.nfev}, "
                f"nit={self.nit}, nfail={self.nfail})")


class Optimizer:
    """Ask/tell interface to one of the library's optimisers.

        opt = Optimizer("gwo", bounds, pop=30, seed=1, max_evals=30000)
        X = opt.ask()            # (n, D) decoded candidates
        opt.tell(X, f)           # f: (n,) values to minimise; NaN = failed

    max_evals / iters set the horizon the algorithm's schedules follow
    (GWO's a 2 -> 0, PSO's inertia 0.9 -> 0.4, AOA's MOA/MOP); without them
    the library assumes 1000 iterations.  params are the algorithm's
    "key=value,..." options (docs/optimizers.md)."""

    def __init__(self, method, bounds, pop=None, seed=1, max_evals=None, iters=None, params=None,
                 history="fitness"):
        self.method = method
        self._dims = _dims(bounds)
        self._space = _Space(self._dims)
        o = L.OptOptions()
        L.lib.eo_opt_options_defaults(ctypes.byref(o))
        if seed is None or int(seed) < 0:
            raise ValueError(f"Optimizer: seed must be an integer >= 0, got {seed!r}")
        o.seed = int(seed)
        if pop is not None:
            if int(pop) < 1:
                raise ValueError(f"Optimizer: pop must be >= 1, got {pop!r}")
            o.pop_size = int(pop)
        if max_evals is not None:
            if int(max_evals) < 1:
                raise ValueError(f"Optimizer: max_evals must be >= 1, got {max_evals!r}")
            o.budget.max_evals = int(max_evals)
        if iters is not None:
            if int(iters) < 1:
                raise ValueError(f"Optimizer: iters must be >= 1, got {iters!r}")
            o.budget.max_iters = int(iters)
        levels = {"full": 0, "fitness": 1, "none": 2}
        if history not in levels:
            raise ValueError(f"Optimizer: history must be one of {', '.join(levels)}")
        o.history = levels[history]
        self._params = L.s(params) if params else None
        o.params = self._params
        self.max_evals, self.iters = max_evals, iters
        self._h = L.c_void_p()
        err = L.ErrorBuf()
        L.check(L.lib.eo_optimizer_create(L.s(method), self._space.h, ctypes.byref(o),
                                          ctypes.byref(self._h), ctypes.byref(err)), err)
        self.dim = len(self._dims)
        self._dspace = L.lib.eo_optimizer_space(self._h)
        self._pending = None
        self._err = L.ErrorBuf()
        # the common case (every dim continuous, linear) decodes in NumPy with
        # the same arithmetic as eo_space_decode; any other space row by row in C
        self._box = None
        if all(isinstance(d, Real) and not d.log for d in self._dims):
            self._box = (np.array([d.lo for d in self._dims], dtype=np.float64),
                         np.array([d.hi for d in self._dims], dtype=np.float64))

    def __del__(self):
        if getattr(self, "_h", None):
            L.lib.eo_optimizer_destroy(self._h)
            self._h = None

    @property
    def choices(self):
        """Per dimension: the list of choices of a Categorical, else None."""
        return [d.choices if isinstance(d, Categorical) else None for d in self._dims]

    def _decode(self, u):
        if self._box is not None:
            lo, hi = self._box
            v = lo + np.clip(u, 0.0, 1.0) * (hi - lo)
            return np.minimum(np.maximum(v, lo), hi)
        out = np.empty_like(u)
        for i in range(u.shape[0]):
            L.lib.eo_space_decode(self._dspace, L.ptr(u[i]), L.ptr(out[i]))
        return out

    def ask(self):
        """The pending batch of candidates, (n, D) decoded values (a new
        array each call).  Asking again before tell returns the same batch."""
        n = L.c_size_t()
        xp = L.P_double()
        L.check(L.lib.eo_optimizer_ask(self._h, ctypes.byref(n), ctypes.byref(xp),
                                       ctypes.byref(self._err)), self._err)
        u = np.ctypeslib.as_array(xp, shape=(n.value, self.dim)).copy()
        X = self._decode(u)
        self._pending = X
        return X.copy()

    def tell(self, X, f, _skip_from=None):
        """Tell the values f (n,) of the batch X of the last ask.  NaN/inf in f
        marks a failed evaluation.  A wrong shape, or X other than the
        batch asked, raises ValueError and changes nothing."""
        if self._pending is None:
            raise ValueError("tell: no pending batch (call ask first)")
        P = self._pending
        if X is not None:
            Xa = np.asarray(X, dtype=np.float64)
            if Xa.shape != P.shape or not np.array_equal(Xa, P):
                raise ValueError(f"tell: X is not the batch of the last ask (shape {Xa.shape}, "
                                 f"asked {P.shape})")
        fa = np.asarray(f)
        if fa.dtype.kind not in "iuf":
            raise TypeError(f"tell: expected numeric values, got dtype {fa.dtype}")
        fa = np.ascontiguousarray(fa, dtype=np.float64).reshape(-1) if fa.ndim <= 1 else fa
        if fa.ndim != 1 or fa.shape[0] != P.shape[0]:
            raise ValueError(f"tell: expected {P.shape[0]} values, got shape {np.shape(f)}")
        st = np.where(np.isfinite(fa), _EVAL_OK, _EVAL_FAILED).astype(np.intc)
        if _skip_from is not None:
            st[_skip_from:] = _EVAL_SKIPPED
        fa = np.where(st == _EVAL_OK, fa, np.inf)
        L.check(L.lib.eo_optimizer_tell(self._h, fa.shape[0], L.ptr(fa), L.ptr(st, L.c_int),
                                        ctypes.byref(self._err)), self._err)
        self._pending = None

    @property
    def nfev(self):
        return L.lib.eo_optimizer_evals(self._h)

    @property
    def nfail(self):
        return L.lib.eo_optimizer_failures(self._h)

    @property
    def nit(self):
        return L.lib.eo_optimizer_iterations(self._h)

    def best(self):
        """(x, fun) of the best point so far; (None, inf) before any success."""
        f = L.c_double()
        x = np.empty(self.dim)
        err = L.ErrorBuf()
        st = L.lib.eo_optimizer_best(self._h, ctypes.byref(f), None, L.ptr(x), ctypes.byref(err))
        if st == 3:  # not found: no success yet
            return None, float("inf")
        L.check(st, err)
        return x, f.value

    def history(self):
        """Best-so-far value after each evaluation."""
        n = self.nfev
        c = np.empty(max(n, 1))
        k = L.lib.eo_optimizer_best_curve(self._h, L.ptr(c), n)
        return c[:k]

    def minimize(self, fun, max_evals=None, iters=None, vectorized=False, target=None):
        """Evaluate until max_evals evaluations (over this optimiser's
        lifetime), iters rounds or the target value.  fun(x) gets one (D,)
        array and returns a float; with vectorized=True fun(X) gets the
        (n, D) batch and returns (n,) values.  If fun raises, the exception
        propagates and the batch stays pending: a later call re-evaluates it
        and goes on as if nothing happened."""
        max_evals = max_evals if max_evals is not None else self.max_evals
        iters = iters if iters is not None else self.iters
        if max_evals is None and iters is None and target is None:
            raise ValueError("minimize: set max_evals, iters or target")
        best = np.inf
        while True:
            done_e = max_evals is not None and self.nfev >= max_evals
            done_i = iters is not None and self.nit >= iters
            if done_e or done_i or (target is not None and best <= target):
                break
            X = self._pending if self._pending is not None else (self.ask(), self._pending)[1]
            n = X.shape[0]
            k = n if max_evals is None else min(n, int(max_evals - self.nfev))
            if vectorized:
                f = np.asarray(fun(X[:k]), dtype=np.float64)
                if f.shape != (k,):
                    raise ValueError(f"minimize: a vectorized objective must return ({k},) "
                                     f"values for a ({k}, {X.shape[1]}) batch, got {f.shape}")
            else:
                f = np.empty(k)
                for i in range(k):
                    f[i] = fun(X[i])
            if k < n:
                f = np.concatenate([f, np.full(n - k, np.inf)])
            self.tell(None, f, _skip_from=k if k < n else None)
            fin = f[:k][np.isfinite(f[:k])]
            if fin.size:
                best = min(best, fin.min())
        x, fv = self.best()
        return OptimizeResult(x=x, fun=fv, nfev=self.nfev, nfail=self.nfail, nit=self.nit,
                              history=self.history(), method=self.method)


def minimize(fun, bounds, method="gwo", pop=None, iters=None, seed=1, vectorized=False,
             max_evals=None, params=None, target=None):
    """Minimise fun over bounds with one of the library's optimisers
    (methods()).  Budget: max_evals evaluations, or iters rounds of the
    population (default 1000 rounds when neither is given); the algorithm's
    schedules follow that budget.  Returns an OptimizeResult."""
    if max_evals is None and iters is None:
        iters = 1000
    opt = Optimizer(method, bounds, pop=pop, seed=seed, max_evals=max_evals, iters=iters,
                    params=params)
    return opt.minimize(fun, max_evals=max_evals, iters=iters, vectorized=vectorized,
                        target=target)


def cec2017(function, X, data_dir=None):
    """Values of CEC 2017 function `function` (1, 3..30) at the rows of X
    ((n, D) or (D,); D one of 2, 10, 20, 30, 50, 100).  The shift/rotation
    data are found as by `ecgopt cec2017` (data_dir, $ECGOPT_DATA, ./data,
    ../shared/data)."""
    a = L.as_f64(X, "cec2017: X", ndim=np.ndim(X) if np.ndim(X) in (1, 2) else 2)
    one = a.ndim == 1
    if one:
        a = a[None, :]
    n, d = a.shape
    if not L.lib.eo_cec2017_valid(int(function), int(d)):
        raise ValueError(f"cec2017: no function {function} at D = {d} "
                         "(functions 1, 3..30; D 2, 10, 20, 30, 50, 100)")
    h = L.c_void_p()
    err = L.ErrorBuf()
    st = L.lib.eo_cec2017_create(ctypes.byref(h), int(function), int(d),
                                 L.s(data_dir) if data_dir else None, ctypes.byref(err))
    if st == 3 and not data_dir:
        # not found from the working directory: try the data folder beside
        # this checkout (<repo>/../shared/data), as from the repository root
        here = os.path.dirname(os.path.abspath(__file__))
        alt = os.path.join(here, "..", "..", "..", "shared", "data", "cec2017")
        if os.path.isdir(alt):
            st = L.lib.eo_cec2017_create(ctypes.byref(h), int(function), int(d), L.s(alt),
                                         ctypes.byref(err))
    L.check(st, err)
    try:
        out = np.empty(n)
        for i in range(n):
            out[i] = L.lib.eo_cec2017_eval(h, L.ptr(a[i]))
    finally:
        L.lib.eo_cec2017_destroy(h)
    return out[0] if one else out
