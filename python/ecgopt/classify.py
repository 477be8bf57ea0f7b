"""Beat classification (src/ml) and the ANSI/AAMI EC57 beat-by-beat
comparison (src/eval; docs/classification.md, docs/ec57.md)."""
import ctypes
import math
import os
import tempfile

import numpy as np

from . import _lib as L
from .wfdb import Annotations, Record, _base, _to_set, write_record

__all__ = ["Classifier", "Classification", "evaluate"]


class Classification:
    """Result of Classifier.classify: one row per input beat.

    sample  int64 positions (the beats given)
    labels  list of class names ("N", "S", "V", "F", "Q" for the AAMI set);
            a beat the library cannot classify (its window crosses an end of
            the record) or a repeated position gets "Q" and a row of NaN
            probabilities, as `ecgopt classify` marks it unclassifiable
    prob    (n, k) float32 class probabilities (before the model's class scales)
    classes the k class names in column order
    """

    def __init__(self, sample, labels, prob, classes):
        self.sample, self.labels, self.prob, self.classes = sample, labels, prob, classes

    def __len__(self):
        return len(self.labels)

    def annotations(self, fs=None):
        """As an Annotations (symbols = class names mapped to WFDB codes)."""
        return Annotations(self.sample, [_CLASS_SYMBOL.get(c, c) for c in self.labels], fs=fs)


# AAMI class names to a WFDB beat symbol of that class (as ecgopt classify writes)
_CLASS_SYMBOL = {"N": "N", "S": "A", "V": "V", "F": "F", "Q": "Q"}


class Classifier:
    """A trained beat classifier (a model file of `ecgopt train`)."""

    def __init__(self, handle, path):
        self._h = handle
        self.path = path

    @classmethod
    def load(cls, path):
        h = L.c_void_p()
        err = L.ErrorBuf()
        L.check(L.lib.eo_classifier_load(L.s(os.fspath(path)), ctypes.byref(h),
                                         ctypes.byref(err)), err)
        return cls(h, os.fspath(path))

    def __del__(self):
        h = getattr(self, "_h", None)
        if h:
            L.lib.eo_classifier_destroy(h)
            self._h = None

    @property
    def model(self):
        return L.u(L.lib.eo_classifier_model(self._h))

    @property
    def fs(self):
        return L.lib.eo_classifier_fs(self._h)

    @property
    def classes(self):
        ls = L.lib.eo_classifier_labels(self._h)
        return [L.u(L.lib.eo_label_class_name(ls, i))
                for i in range(L.lib.eo_label_set_n_classes(ls))]

    @property
    def leads(self):
        """The leads the model reads, as stored ("MLII", an index "k"/"#k")."""
        out = []
        for i in range(2):
            buf = ctypes.create_string_buffer(64)
            if L.lib.eo_classifier_lead_name(self._h, i, buf, 64):
                out.append(L.u(buf.value))
        return out or [""]

    def classify(self, signal, fs=None, beats=None, gain=200.0):
        """Classify the beats at `beats` (sample indices; None: the record's
        reference beats) of `signal`.

        signal is a Record (from read_record; classified straight from its
        files, exactly as `ecgopt classify`), a record path, or an array
        (n,) / (n, leads) in mV sampled at fs, the model's rate.  An array is
        written to a temporary WFDB record quantised to 1/gain mV (200 adu/mV
        as MIT-BIH, so the values of an MIT-BIH record are kept exactly)."""
        if isinstance(signal, (str, os.PathLike)):
            return self._classify_base(_base(signal), beats)
        if isinstance(signal, Record) and signal.path is not None:
            return self._classify_base(signal.path, beats)
        if beats is None:
            raise ValueError("classify: an array signal needs beats (sample indices)")
        x = signal.signals if isinstance(signal, Record) else signal
        if isinstance(signal, Record) and fs is None:
            fs = signal.fs
        x = L.as_f64(x, "classify: signal", ndim=np.ndim(x) if np.ndim(x) in (1, 2) else 1)
        if x.ndim == 1:
            x = x[:, None]
        if fs is None:
            raise ValueError("classify: fs is required with an array signal")
        leads = self.leads
        # a named lead is written under its name; an index or the default
        # order ("") finds the columns in order, MLII first
        names = [ld if ld and not ld.lstrip("#").isdigit() else ("MLII" if i == 0 else f"sig{i}")
                 for i, ld in enumerate(leads)]
        if x.shape[1] < len(names):
            raise ValueError(f"classify: the model reads {len(names)} leads ({', '.join(leads)}), "
                             f"the signal has {x.shape[1]}")
        names += [f"extra{i}" for i in range(x.shape[1] - len(names))]
        with tempfile.TemporaryDirectory(prefix="ecgopt-") as d:
            base = os.path.join(d, "signal")
            write_record(base, x, fs, sig_names=names, fmt=16, gain=gain)
            return self._classify_base(base, beats)

    def _classify_base(self, base, beats):
        if beats is None:
            from .wfdb import read_annotations
            pos = read_annotations(base, "atr").beats().sample
        else:
            pos = np.asarray(beats)
            if pos.ndim != 1 or pos.dtype.kind not in "iu":
                raise ValueError(f"classify: beats must be a 1-D integer array, got "
                                 f"{pos.dtype} {pos.shape}")
            if len(pos) and (np.diff(pos) < 0).any():
                raise ValueError("classify: beats must be in time order")
        p = np.ascontiguousarray(pos, dtype=np.int64 if ctypes.sizeof(L.c_long) == 8 else np.int32)
        n, classes = len(p), self.classes
        cls = np.empty(n, dtype=np.intc)
        prob = np.empty((n, len(classes)), dtype=np.float32)
        err = L.ErrorBuf()
        L.check(L.lib.eo_classify_positions(self._h, L.s(base), L.ptr(p, L.c_long), n, None,
                                            L.ptr(cls, L.c_int), L.ptr(prob, ctypes.c_float),
                                            ctypes.byref(err)), err)
        labels = [classes[c] if c >= 0 else "Q" for c in cls]
        return Classification(p.astype(np.int64), labels, prob, classes)


def _ann(a, name):
    if isinstance(a, Annotations):
        return a
    if isinstance(a, Classification):
        return a.annotations()
    raise TypeError(f"evaluate: {name} must be Annotations or a Classification, "
                    f"got {type(a).__name__}")


def _nan(v):
    return None if isinstance(v, float) and math.isnan(v) else v


def evaluate(ref, test, fs=None, end_sample=None, match_window_s=0.15, learning_period_s=0.0):
    """EC57 beat-by-beat comparison of test against ref (Annotations, e.g.
    read_annotations(rec, "atr") and a Classification or detector output).

    Returns dicts: "matrix" (the 7x7 comparison counts, matrix[ref][test]
    over classes N S V F Q O X), "qrs" (tp, fn, fp, se, ppv), "veb" and
    "sveb" (se, ppv, ...), and "classes" (per class se, ppv, spec, f1,
    support; accuracy, macro and weighted averages).  Percentages; None
    where the denominator is 0.  fs defaults to ref.fs (from the record's
    header), end_sample to the record length."""
    ref, test = _ann(ref, "ref"), _ann(test, "test")
    fs = fs or ref.fs or test.fs
    if not fs:
        raise ValueError("evaluate: fs unknown (pass fs=, or read ref next to its .hea)")
    o = L.Ec57Options()
    L.lib.eo_ec57_defaults(ctypes.byref(o), float(fs))
    o.match_window_s, o.learning_period_s = match_window_s, learning_period_s
    end = end_sample if end_sample is not None else (ref.n_samples or 0)
    o.end_sample = int(end) if end and end > 0 else 0
    rs, ts = _to_set(ref), None
    try:
        ts = _to_set(test)
        res = L.Ec57Result()
        err = L.ErrorBuf()
        L.check(L.lib.eo_ec57_compare(rs, ts, ctypes.byref(o), ctypes.byref(res),
                                      ctypes.byref(err)), err)
    finally:
        L.lib.eo_annot_set_destroy(rs)
        if ts:
            L.lib.eo_annot_set_destroy(ts)
    st = L.Ec57Stats()
    L.lib.eo_ec57_stats_of(ctypes.byref(res), ctypes.byref(st))
    cm = L.Ec57ClassMetrics()
    L.lib.eo_ec57_class_metrics_of(ctypes.byref(res), ctypes.byref(cm))
    names = ["N", "S", "V", "F", "Q", "O", "X"]
    classes = {c: dict(se=_nan(cm.se[i]), ppv=_nan(cm.ppv[i]), spec=_nan(cm.spec[i]),
                       f1=_nan(cm.f1[i]), support=cm.support[i], predicted=cm.predicted[i])
               for i, c in enumerate(names[:5])}
    for k in ("macro_se", "macro_ppv", "macro_spec", "macro_f1", "weighted_se", "weighted_ppv",
              "weighted_spec", "weighted_f1", "accuracy"):
        classes[k] = _nan(getattr(cm, k))
    classes["total"] = cm.total
    return dict(
        labels=names,
        matrix=[[res.m[i][j] for j in range(7)] for i in range(7)],
        qrs=dict(tp=st.qtp, fn=st.qfn, fp=st.qfp, se=_nan(st.qrs_se), ppv=_nan(st.qrs_ppv)),
        veb=dict(tp=st.vtp, fn=st.vfn, fp=st.vfp, tn=st.vtn, se=_nan(st.veb_se),
                 ppv=_nan(st.veb_ppv), fpr=_nan(st.veb_fpr)),
        sveb=dict(tp=st.stp, fn=st.sfn, fp=st.sfp, se=_nan(st.sveb_se), ppv=_nan(st.sveb_ppv)),
        classes=classes)
