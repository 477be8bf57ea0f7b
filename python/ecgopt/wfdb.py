"""WFDB records and annotations (PhysioNet format), read and written by the
library's own reader and writer (src/io; docs/wfdb.md)."""
import ctypes
import os

import numpy as np

from . import _lib as L

__all__ = ["Record", "Annotations", "read_record", "read_annotations", "write_record",
           "write_annotations", "read_header"]


def _base(path):
    """Record path without extension: '100', '100.hea' and '100.dat' all name record 100."""
    p = os.fspath(path)
    for ext in (".hea", ".dat"):
        if p.endswith(ext):
            return p[: -len(ext)]
    return p


class Record:
    """A WFDB record in memory.

    signals   (n, nsig) array: float64 physical units, or int32 adu when read
              with physical=False (an F-ordered view: column s is contiguous)
    fs        sampling rate, Hz
    sig_names signal descriptions ("MLII", "V5", ...)
    units     physical units per signal
    gain, baseline, adc_res, fmt   per-signal header fields (lists)
    comments  header comment lines (without '#')
    name, path  record name and the path it was read from (without extension)
    """

    def __init__(self, signals, fs, sig_names, units, comments=(), gain=None, baseline=None,
                 adc_res=None, fmt=None, name="", path=None, base_time="", base_date=""):
        self.signals = signals
        self.fs = float(fs)
        self.sig_names = list(sig_names)
        self.units = list(units)
        self.comments = list(comments)
        nsig = signals.shape[1]
        self.gain = list(gain) if gain is not None else [200.0] * nsig
        self.baseline = list(baseline) if baseline is not None else [0] * nsig
        self.adc_res = list(adc_res) if adc_res is not None else [12] * nsig
        self.fmt = list(fmt) if fmt is not None else [16] * nsig
        self.name, self.path = name, path
        self.base_time, self.base_date = base_time, base_date

    @property
    def n_samples(self):
        return self.signals.shape[0]

    @property
    def physical(self):
        return self.signals.dtype.kind == "f"

    def signal(self, name_or_index):
        """One column by description ("MLII") or index."""
        if isinstance(name_or_index, str):
            if name_or_index not in self.sig_names:
                raise ValueError(f"{self.name}: no signal '{name_or_index}' "
                                 f"(has {', '.join(self.sig_names)})")
            name_or_index = self.sig_names.index(name_or_index)
        return self.signals[:, name_or_index]

    def __repr__(self):
        return (f"Record({self.name!r}, {self.n_samples} samples x {len(self.sig_names)} "
                f"signals {self.sig_names}, {self.fs:g} Hz)")


def _header_fields(h):
    sig = [h.signals[i] for i in range(h.n_signals)]
    return dict(
        sig_names=[L.u(x.description) for x in sig], units=[L.u(x.units) for x in sig],
        gain=[x.gain for x in sig], baseline=[x.baseline for x in sig],
        adc_res=[x.adc_resolution for x in sig], fmt=[x.format for x in sig],
        comments=[L.u(h.comments[i]) for i in range(h.n_comments)],
        name=L.u(h.record_name), base_time=L.u(h.base_time), base_date=L.u(h.base_date))


def read_header(path):
    """The header fields of a record as a dict (fs, n_samples, sig_names, units,
    gain, baseline, adc_res, fmt, comments, name)."""
    err = L.ErrorBuf()
    hp = ctypes.POINTER(L.Header)()
    p = _base(path) + ".hea"
    L.check(L.lib.eo_wfdb_header_read(L.s(p), ctypes.byref(hp), ctypes.byref(err)), err)
    try:
        h = hp.contents
        d = _header_fields(h)
        d["fs"] = h.fs_hz
        d["n_samples"] = h.n_samples
        return d
    finally:
        L.lib.eo_wfdb_header_destroy(hp)


def read_record(path, physical=True, verify=True):
    """Read record `path` ("data/mitdb/100", with or without .hea).

    physical=True gives float64 in physical units, exactly the library's
    eo_wfdb_record_physical() ((adu - baseline) / gain, NaN for invalid
    samples); physical=False the digital int32 samples (adu).  verify checks
    the checksums and initial values.  A missing file raises
    FileNotFoundError, a truncated or malformed one ecgopt.FormatError (an
    OSError and a ValueError)."""
    base = _base(path)
    err = L.ErrorBuf()
    ro = L.ReadOptions()
    L.lib.eo_wfdb_read_defaults(ctypes.byref(ro))
    ro.verify = 1 if verify else 0
    rp = ctypes.POINTER(L.Record)()
    L.check(L.lib.eo_wfdb_record_load(L.s(base), ctypes.byref(ro), ctypes.byref(rp),
                                      ctypes.byref(err)), err)
    try:
        r = rp.contents
        nsig, n = r.n_signals, r.n_samples
        if physical:
            buf = np.empty((nsig, n), dtype=np.float64)
            for s in range(nsig):
                if n:
                    L.check(L.lib.eo_wfdb_record_physical(rp, s, 0, n, L.ptr(buf[s]),
                                                          ctypes.byref(err)), err)
        else:
            buf = np.empty((nsig, n), dtype=np.int32)
            for s in range(nsig):
                if n:
                    ctypes.memmove(buf[s].ctypes.data, r.adu[s], n * 4)
        d = _header_fields(r.header.contents)
        return Record(buf.T, r.fs_hz, path=base, **d)
    finally:
        L.lib.eo_wfdb_record_destroy(rp)


def write_record(path, signals, fs, sig_names=None, units=None, fmt=16, gain=200.0, baseline=0,
                 physical=None):
    """Write a single-segment record `<path>.hea` + `<path>.dat` (format 16 or 212).

    signals is (n, nsig) or (n,).  Float arrays are physical values, stored
    as round(x * gain) + baseline adu (quantised to 1/gain units); integer
    arrays are written as adu unchanged.  physical=True/False overrides the
    guess from the dtype.  gain and baseline are a number or one per signal.
    Files are written atomically by the library (nothing partial on error)."""
    a = np.asarray(signals)
    if a.dtype.kind not in "iuf":
        raise TypeError(f"write_record: expected a real numeric array, got dtype {a.dtype}")
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"write_record: expected an (n, nsig) array, got shape {a.shape}")
    n, nsig = a.shape
    gains = np.broadcast_to(np.asarray(gain, dtype=np.float64), (nsig,))
    bases = np.broadcast_to(np.asarray(baseline, dtype=np.int64), (nsig,))
    if physical is None:
        physical = a.dtype.kind == "f"
    if physical:
        af = a.astype(np.float64, copy=False)
        if not np.isfinite(af).all():
            raise ValueError("write_record: NaN/inf in the signals")
        adu = np.rint(af * gains) + bases
    else:
        adu = a.astype(np.int64, copy=False)
    lim = 2 ** 15 - 1 if fmt == 16 else 2 ** 11 - 1
    if adu.size and (adu.max() > lim or adu.min() < -lim - 1):
        raise ValueError(f"write_record: samples span {adu.min():.0f}..{adu.max():.0f} adu, "
                         f"outside format {fmt}'s range (lower the gain)")
    ch = np.ascontiguousarray(adu.T, dtype=np.int32)  # channel-major
    rows = (L.P_int32 * nsig)(*[L.ptr(ch[s], L.c_int32) for s in range(nsig)])
    like = (L.SignalInfo * nsig)()
    names = sig_names or [f"sig{s}" for s in range(nsig)]
    unit = units or ["mV"] * nsig
    if len(names) != nsig or len(unit) != nsig:
        raise ValueError(f"write_record: {nsig} signals but {len(names)} names, {len(unit)} units")
    for s in range(nsig):
        like[s].gain, like[s].gain_given = float(gains[s]), 1
        like[s].baseline, like[s].baseline_given = int(bases[s]), 1
        like[s].units = L.s(unit[s])[:31]
        like[s].description = L.s(names[s])[:127]
        like[s].adc_resolution = 16 if fmt == 16 else 12
        like[s].samples_per_frame = 1
    p = os.fspath(path)
    d, name = os.path.split(_base(p))
    err = L.ErrorBuf()
    L.check(L.lib.eo_wfdb_record_write(L.s(d or "."), L.s(name), int(fmt), float(fs), nsig, n,
                                       rows, like, ctypes.byref(err)), err)


class Annotations:
    """Annotations of one annotator: sample (int64), symbol (list of str),
    aux (list of str or None), code/subtype/chan/num (int arrays); fs when
    the record's header was found next to the file (else None)."""

    def __init__(self, sample, symbol, aux=None, code=None, subtype=None, chan=None, num=None,
                 fs=None, n_samples=None):
        self.sample = np.asarray(sample, dtype=np.int64)
        n = len(self.sample)
        self.symbol = list(symbol)
        if len(self.symbol) != n:
            raise ValueError(f"annotations: {n} samples but {len(self.symbol)} symbols")
        self.aux = list(aux) if aux is not None else [None] * n
        if code is None:
            code = [_code(s) for s in self.symbol]
        self.code = np.asarray(code, dtype=np.int32)
        z = np.zeros(n, dtype=np.int32)
        self.subtype = np.asarray(subtype if subtype is not None else z, dtype=np.int32)
        self.chan = np.asarray(chan if chan is not None else z, dtype=np.int32)
        self.num = np.asarray(num if num is not None else z, dtype=np.int32)
        self.fs, self.n_samples = fs, n_samples

    def __len__(self):
        return len(self.sample)

    def beats(self):
        """The beat annotations only (WFDB isqrs)."""
        keep = [i for i in range(len(self)) if L.lib.eo_annot_is_beat(int(self.code[i]))]
        return Annotations(self.sample[keep], [self.symbol[i] for i in keep],
                           [self.aux[i] for i in keep], self.code[keep], self.subtype[keep],
                           self.chan[keep], self.num[keep], self.fs, self.n_samples)

    def __repr__(self):
        return f"Annotations({len(self)} annotations, fs={self.fs})"


def _code(sym):
    c = L.lib.eo_annot_code_from_symbol(L.s(sym))
    if c < 0:
        raise ValueError(f"annotations: unknown symbol {sym!r}")
    return c


def _from_set(sp, fs=None, n_samples=None):
    a = sp.contents
    n = a.n
    sample = np.empty(n, dtype=np.int64)
    code, sub, chan, num = (np.empty(n, dtype=np.int32) for _ in range(4))
    sym, aux = [], []
    for i in range(n):
        it = a.items[i]
        sample[i], code[i], sub[i], chan[i], num[i] = it.sample, it.code, it.subtype, it.chan, it.num
        sym.append(L.u(L.lib.eo_annot_code_symbol(it.code)))
        # AUX strings are NUL-padded to an even length in the file
        aux.append(ctypes.string_at(it.aux, it.aux_len).decode("latin-1").rstrip("\0")
                   if it.aux else None)
    return Annotations(sample, sym, aux, code, sub, chan, num, fs, n_samples)


def _to_set(ann):
    """A new eo_annotation_set (caller frees) from an Annotations."""
    err = L.ErrorBuf()
    sp = L.lib.eo_annot_set_new()
    if not sp:
        raise MemoryError("annotations: out of memory")
    try:
        item = L.Annotation()
        keep = []
        for i in range(len(ann)):
            item.sample, item.code = int(ann.sample[i]), int(ann.code[i])
            item.subtype, item.chan, item.num = (int(ann.subtype[i]), int(ann.chan[i]),
                                                 int(ann.num[i]))
            if ann.aux[i] is not None:
                b = ann.aux[i].encode("latin-1")
                buf = ctypes.create_string_buffer(b)
                keep.append(buf)
                item.aux = ctypes.cast(buf, ctypes.POINTER(ctypes.c_char))
                item.aux_len = len(b)
            else:
                item.aux, item.aux_len = None, 0
            L.check(L.lib.eo_annot_set_push(sp, ctypes.byref(item), ctypes.byref(err)), err)
        return sp
    except BaseException:
        L.lib.eo_annot_set_destroy(sp)
        raise


def read_annotations(path, ext="atr"):
    """Read `<path>.<ext>` (e.g. read_annotations("data/mitdb/100", "atr")).
    .fs and .n_samples come from the record's header when it is there."""
    base = _base(path)
    err = L.ErrorBuf()
    sp = ctypes.POINTER(L.AnnotationSet)()
    L.check(L.lib.eo_annot_read(L.s(f"{base}.{ext}"), ctypes.byref(sp), ctypes.byref(err)), err)
    try:
        fs = n_samples = None
        if os.path.exists(base + ".hea"):
            try:
                h = read_header(base)
                fs, n_samples = h["fs"], h["n_samples"]
            except L.Error:
                pass
        return _from_set(sp, fs, n_samples)
    finally:
        L.lib.eo_annot_set_destroy(sp)


def write_annotations(path, ext, ann, symbol=None, aux=None):
    """Write `<path>.<ext>` from an Annotations, or from sample indices plus
    symbols (a list, or one symbol for all, e.g. "N")."""
    if not isinstance(ann, Annotations):
        samp = np.asarray(ann)
        if samp.ndim != 1 or samp.dtype.kind not in "iu":
            raise ValueError(f"write_annotations: expected 1-D integer samples, got "
                             f"{samp.dtype} {samp.shape}")
        if symbol is None or isinstance(symbol, str):
            symbol = [symbol or "N"] * len(samp)
        ann = Annotations(samp, symbol, aux)
    if len(ann) and (np.diff(ann.sample) < 0).any():
        raise ValueError("write_annotations: samples must be in time order")
    sp = _to_set(ann)
    try:
        err = L.ErrorBuf()
        L.check(L.lib.eo_annot_write(L.s(f"{_base(path)}.{ext}"), sp, ctypes.byref(err)), err)
    finally:
        L.lib.eo_annot_set_destroy(sp)
