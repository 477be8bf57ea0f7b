"""ECG compression to the .ecgz format (src/codec, docs/codec.md)."""
import ctypes

import numpy as np

from . import _lib as L

__all__ = ["compress", "decompress"]


def compress(samples, fs, mode="lossless", level=None, gain=200.0, baseline=0, adc_bits=0):
    """Compress digital samples (adu; int array (n,) or (n, nsig)) to the
    bytes of an .ecgz file.

    mode "lossless"; "bounded" with level = the largest error in adu
    (integer, default 1); "wavelet" with level = the target PRDN in percent
    (default 5).  gain (adu/mV) and baseline go into the file's signal table
    (one number or one per signal); adc_bits is the bits per sample the
    compression ratio counts (0: the codec's 12).  Floating-point arrays are
    refused (TypeError): convert physical values to adu first, e.g.
    read_record(path, physical=False).signals."""
    a = np.asarray(samples)
    if a.dtype.kind not in "iu":
        raise TypeError(f"compress: expected integer samples (adu), got dtype {a.dtype}")
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"compress: expected an (n, nsig) array, got shape {np.shape(samples)}")
    if a.max() > 2 ** 23 - 1 or a.min() < -(2 ** 23 - 1):
        raise ValueError("compress: samples beyond +-(2^23 - 1) adu")
    n, nsig = a.shape
    ch = np.ascontiguousarray(a.T, dtype=np.int32)  # no copy for read_record's int32 columns
    gains = np.ascontiguousarray(np.broadcast_to(np.asarray(gain, np.float64), (nsig,)))
    bases = np.ascontiguousarray(np.broadcast_to(np.asarray(baseline, np.int32), (nsig,)))
    if level is None:
        level = {"bounded": 1, "wavelet": 5.0}.get(mode, 0.0)
    buf = ctypes.POINTER(ctypes.c_ubyte)()
    ln = L.c_size_t()
    err = L.ErrorBuf()
    st = L.need("eo_codec_compress_samples")(
        L.ptr(ch, L.c_int32), nsig, n, float(fs), L.ptr(gains), L.ptr(bases, L.c_int),
        int(adc_bits), L.s(mode), float(level), ctypes.byref(buf), ctypes.byref(ln),
        ctypes.byref(err))
    try:
        L.check(st, err)
        return ctypes.string_at(buf, ln.value)
    finally:
        L.lib.eo_free(buf)


def decompress(data):
    """bytes of an .ecgz file -> (samples, header): samples int32 (n, nsig)
    adu; header a dict (fs, mode, n_samples, n_signals, max_error_adu, gain,
    baseline, units, sig_names, record_name, version)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decompress: expected bytes, got {type(data).__name__}")
    b = bytes(data)
    z = L.c_void_p()
    err = L.ErrorBuf()
    L.check(L.lib.eo_ecgz_open_mem(b, len(b), b"<bytes>", ctypes.byref(z), ctypes.byref(err)),
            err)
    try:
        info = L.lib.eo_ecgz_get_info(z).contents
        nsig, n = info.n_signals, info.n_samples
        sig = [info.signals[i] for i in range(nsig)]
        hdr = dict(fs=info.fs_hz, mode=L.u(L.lib.eo_codec_mode_name(info.mode)), n_samples=n,
                   n_signals=nsig, max_error_adu=info.max_error_adu, version=info.version,
                   record_name=L.u(info.record_name), gain=[x.gain for x in sig],
                   baseline=[x.baseline for x in sig], units=[L.u(x.units) for x in sig],
                   sig_names=[L.u(x.description) for x in sig])
        out = np.empty((nsig, n), dtype=np.int32)
        rows = (L.P_int32 * nsig)(*[L.ptr(out[s], L.c_int32) for s in range(nsig)])
        if n:
            L.check(L.lib.eo_ecgz_read(z, 0, n, rows, ctypes.byref(err)), err)
        return out.T, hdr
    finally:
        L.lib.eo_ecgz_close(z)
