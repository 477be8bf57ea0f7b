"""Signal processing: QRS detection, denoising, resampling (src/dsp)."""
import ctypes

import numpy as np

from . import _lib as L

__all__ = ["detect_qrs", "denoise", "resample", "DENOISE_METHODS"]

DENOISE_METHODS = ("bandpass", "wavelet", "median", "vmd", "iaoa-vmd")


def _fs(fs, name="fs"):
    try:
        f = float(fs)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a number, got {type(fs).__name__}") from None
    if not np.isfinite(f) or f <= 0:
        raise ValueError(f"{name}: sampling rate must be a positive number, got {fs!r}")
    return f


def detect_qrs(signal, fs, **options):
    """QRS complexes of one ECG lead (1-D, mV) sampled at fs Hz -> int64
    sample indices.  The library's detector (eo_qrs_detect, docs/qrs.md) at
    its defaults: the same beats as `ecgopt detect` on that lead.  Options
    override eo_qrs_options fields by name (threshold, integration_ms,
    band_low_hz, band_high_hz, searchback_rr, refractory_ms, squaring, ...)."""
    x = L.as_f64(signal, "detect_qrs: signal")
    o = L.QrsOptions()
    L.lib.eo_qrs_defaults(ctypes.byref(o), _fs(fs))
    names = {f[0] for f in L.QrsOptions._fields_}
    for k, v in options.items():
        if k not in names or k == "fs_hz":
            raise TypeError(f"detect_qrs: unknown option {k!r} "
                            f"(one of {', '.join(sorted(names - {'fs_hz'}))})")
        setattr(o, k, v)
    beats = L.P_long()
    nb = L.c_size_t()
    err = L.ErrorBuf()
    st = L.lib.eo_qrs_detect(L.ptr(x), x.size, ctypes.byref(o), ctypes.byref(beats),
                             ctypes.byref(nb), ctypes.byref(err))
    try:
        L.check(st, err)
        out = np.empty(nb.value, dtype=np.int64)
        if nb.value:
            out[:] = np.ctypeslib.as_array(beats, shape=(nb.value,))
        return out
    finally:
        L.lib.eo_free(beats)


def denoise(signal, fs, method="wavelet", seed=1):
    """Denoised copy of a 1-D signal (mV) sampled at fs Hz with the library's
    method ("bandpass", "wavelet", "median", "vmd", "iaoa-vmd"; docs/denoise.md)
    at its default options.  seed drives the IAOA search of iaoa-vmd."""
    x = L.as_f64(signal, "denoise: signal")
    if method not in DENOISE_METHODS:
        raise ValueError(f"denoise: unknown method {method!r} (one of {', '.join(DENOISE_METHODS)})")
    y = np.empty_like(x)
    err = L.ErrorBuf()
    L.check(L.need("eo_denoise_signal")(L.ptr(x), x.size, _fs(fs), L.s(method), int(seed),
                                        L.ptr(y), ctypes.byref(err)), err)
    return y


def resample(signal, fs_in, fs_out):
    """A 1-D signal resampled from fs_in to fs_out Hz (the library's
    eo_resample).  Raises NotImplementedError when the loaded libecgopt does
    not have eo_resample yet."""
    f = L.optional("eo_resample")
    if f is None:
        raise NotImplementedError(f"resample: {L.lib_path} has no eo_resample() "
                                  "(added to the library after this build); rebuild libecgopt")
    x = L.as_f64(signal, "resample: signal")
    fi, fo = _fs(fs_in, "fs_in"), _fs(fs_out, "fs_out")
    y = L.P_double()
    ny = L.c_size_t()
    err = L.ErrorBuf()
    st = f(L.ptr(x), x.size, fi, fo, ctypes.byref(y), ctypes.byref(ny), ctypes.byref(err))
    try:
        L.check(st, err)
        out = np.empty(ny.value, dtype=np.float64)
        if ny.value:
            out[:] = np.ctypeslib.as_array(y, shape=(ny.value,))
        return out
    finally:
        L.lib.eo_free(y)
