"""Loading libecgopt.so and declaring the C functions the package calls.

ctypes only (standard library), so importing needs no compiler.  ctypes
releases the GIL for the duration of every foreign call, so long C calls
(denoising, compression, detection) let other Python threads run.
"""
import ctypes
import ctypes.util
import os

import numpy as np

__all__ = ["lib", "lib_path", "Error", "check", "ErrorBuf"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_NAMES = ("libecgopt.so", "libecgopt.so.0")


def _candidates():
    """(place, path) pairs in search order."""
    out = []
    env = os.environ.get("ECGOPT_LIB")
    if env:
        if os.path.isdir(env):
            out += [("ECGOPT_LIB", os.path.join(env, n)) for n in _NAMES]
        else:
            out.append(("ECGOPT_LIB", env))
        return out  # an explicit choice is never silently replaced
    out += [("next to the package", os.path.join(_HERE, n)) for n in _NAMES]
    # python/ecgopt/ inside a checkout: the build trees are ../../build*
    root = os.path.dirname(os.path.dirname(_HERE))
    if os.path.exists(os.path.join(root, "CMakeLists.txt")):
        for b in ("build", "build-check"):
            out += [("build tree", os.path.join(root, b, n)) for n in _NAMES]
    found = ctypes.util.find_library("ecgopt")
    out.append(("system", found or "libecgopt.so.0"))
    return out


def _load():
    tried = []
    for place, path in _candidates():
        if place != "system" and not os.path.exists(path):
            tried.append(f"{path} ({place}: absent)")
            continue
        try:
            lib_ = ctypes.CDLL(path)
            return lib_, os.path.abspath(path) if os.path.exists(path) else path
        except OSError as e:
            tried.append(f"{path} ({place}: {e})")
    raise ImportError("ecgopt: cannot load libecgopt.so; tried:\n  " + "\n  ".join(tried) +
                      "\nbuild it (make build) or set ECGOPT_LIB to the library's path")


lib, lib_path = _load()

# ---- errors -------------------------------------------------------------------


class ErrorBuf(ctypes.Structure):
    """eo_error"""
    _fields_ = [("status", ctypes.c_int), ("msg", ctypes.c_char * 512)]


class Error(Exception):
    """Base of every exception carrying a library message; `.status` is the
    eo_status name ("bad format", ...)."""

    def __init__(self, message, status="internal"):
        super().__init__(message)
        self.status = status


class InputError(Error, ValueError):
    """Bad argument or value (eo_status usage, out of range, numeric, unsupported)."""


class FileError(Error, OSError):
    """A file could not be opened, read or written."""


class NotFoundError(Error, FileNotFoundError, ValueError):
    """A record, file, signal or name does not exist."""


class FormatError(Error, OSError, ValueError):
    """A file is malformed, truncated or fails its checksum."""


class LibraryMemoryError(Error, MemoryError):
    """The library ran out of memory."""


class NetworkError(Error, ConnectionError):
    """A download failed."""


class InternalError(Error, RuntimeError):
    """An invariant of the library did not hold (a bug)."""


_STATUS = {
    1: ("usage", InputError), 2: ("io", FileError), 3: ("not found", NotFoundError),
    4: ("bad format", FormatError), 5: ("bad checksum", FormatError),
    6: ("out of range", InputError), 7: ("unsupported", InputError),
    8: ("numeric", InputError), 9: ("no memory", LibraryMemoryError),
    10: ("network", NetworkError), 11: ("internal", InternalError),
}


def check(st, err):
    """Raise the exception of a non-zero eo_status with the library's message."""
    if st != 0:
        name, cls = _STATUS.get(st, ("internal", InternalError))
        msg = err.msg.decode("utf-8", "replace") or name
        raise cls(msg, name)


# ---- structs (must match include/ecgopt/*.h) ---------------------------------

c_int, c_long, c_double, c_char_p, c_void_p = (ctypes.c_int, ctypes.c_long, ctypes.c_double,
                                               ctypes.c_char_p, ctypes.c_void_p)
c_size_t, c_int32, c_uint64 = ctypes.c_size_t, ctypes.c_int32, ctypes.c_uint64
POINTER, byref = ctypes.POINTER, ctypes.byref
P_double, P_int32, P_long = POINTER(c_double), POINTER(c_int32), POINTER(c_long)


class SignalInfo(ctypes.Structure):
    """eo_wfdb_signal_info"""
    _fields_ = [("file_name", ctypes.c_char * 256), ("format", c_int),
                ("samples_per_frame", c_int), ("skew", c_int), ("byte_offset", c_long),
                ("gain", c_double), ("gain_given", c_int), ("baseline", c_int),
                ("baseline_given", c_int), ("units", ctypes.c_char * 32),
                ("adc_resolution", c_int), ("adc_zero", c_int), ("initial_value", c_int),
                ("initial_value_given", c_int), ("checksum", c_int), ("checksum_given", c_int),
                ("block_size", c_int), ("description", ctypes.c_char * 128)]


class Header(ctypes.Structure):
    """eo_wfdb_header"""
    _fields_ = [("record_name", ctypes.c_char * 64), ("n_segments", c_int),
                ("n_signals", c_int), ("fs_hz", c_double), ("counter_freq", c_double),
                ("base_counter", c_double), ("n_samples", c_long),
                ("base_time", ctypes.c_char * 32), ("base_date", ctypes.c_char * 32),
                ("signals", POINTER(SignalInfo)), ("segments", c_void_p),
                ("comments", POINTER(c_char_p)), ("n_comments", c_int)]


class Record(ctypes.Structure):
    """eo_wfdb_record"""
    _fields_ = [("header", POINTER(Header)), ("n_signals", c_int), ("n_samples", c_long),
                ("fs_hz", c_double), ("adu", POINTER(P_int32))]


class ReadOptions(ctypes.Structure):
    _fields_ = [("verify", c_int)]


class Annotation(ctypes.Structure):
    """eo_annotation"""
    _fields_ = [("sample", c_long), ("code", c_int), ("subtype", c_int), ("chan", c_int),
                ("num", c_int), ("aux", ctypes.POINTER(ctypes.c_char)), ("aux_len", c_int)]


class AnnotationSet(ctypes.Structure):
    _fields_ = [("items", POINTER(Annotation)), ("n", c_size_t), ("cap", c_size_t)]


class QrsOptions(ctypes.Structure):
    _fields_ = [(n, c_double) for n in (
        "fs_hz", "band_low_hz", "band_high_hz", "integration_ms", "refractory_ms", "twave_ms",
        "twave_slope_ratio", "twave_wide_ms", "twave_wide_ratio", "threshold", "searchback_rr",
        "learn_s")] + [
        ("baseline_check", c_int), ("squaring", c_int)]


class Ec57Options(ctypes.Structure):
    _fields_ = [("fs_hz", c_double), ("match_window_s", c_double),
                ("learning_period_s", c_double), ("end_sample", c_long),
                ("escape_as_sveb", c_int)]


class Ec57Result(ctypes.Structure):
    _fields_ = [("m", (c_long * 7) * 7)]


class Ec57Stats(ctypes.Structure):
    _fields_ = [(n, c_long) for n in ("qtp", "qfn", "qfp", "vtp", "vfn", "vfp", "vtn", "stp",
                                      "sfn", "sfp")] + [
        (n, c_double) for n in ("qrs_se", "qrs_ppv", "veb_se", "veb_ppv", "veb_fpr", "sveb_se",
                                "sveb_ppv")]


class Ec57ClassMetrics(ctypes.Structure):
    _fields_ = [("total", c_long), ("accuracy", c_double), ("support", c_long * 5),
                ("predicted", c_long * 5), ("se", c_double * 5), ("ppv", c_double * 5),
                ("spec", c_double * 5), ("f1", c_double * 5)] + [
        (n, c_double) for n in ("macro_se", "macro_ppv", "macro_spec", "macro_f1",
                                "weighted_se", "weighted_ppv", "weighted_spec", "weighted_f1")]


class Budget(ctypes.Structure):
    _fields_ = [("max_evals", ctypes.c_longlong), ("max_iters", ctypes.c_longlong),
                ("max_seconds", c_double), ("target", c_double), ("has_target", c_int)]


class OptOptions(ctypes.Structure):
    _fields_ = [("seed", c_uint64), ("pop_size", c_size_t), ("budget", Budget),
                ("history", c_int), ("params", c_char_p)]


class EcgzInfo(ctypes.Structure):
    _fields_ = [("version", c_int), ("mode", c_int), ("n_signals", c_int), ("fs_hz", c_double),
                ("n_samples", c_long), ("block_frames", c_long), ("n_blocks", c_long),
                ("max_error_adu", c_int), ("wavelet_step", c_double), ("wavelet_level", c_int),
                ("record_name", ctypes.c_char * 64), ("base_time", ctypes.c_char * 32),
                ("base_date", ctypes.c_char * 32), ("model_hash", ctypes.c_uint8 * 32),
                ("model_embedded", c_int), ("coder", c_int), ("model_bytes", c_size_t),
                ("counter_freq", c_double), ("base_counter", c_double), ("comments", c_char_p),
                ("signals", POINTER(SignalInfo)), ("file_bytes", c_size_t)]


# ---- function prototypes ----------------------------------------------------------

E = POINTER(ErrorBuf)
_PROTOS = {
    # core
    "eo_free": (None, [c_void_p]),
    "eo_status_str": (c_char_p, [c_int]),
    # io
    "eo_wfdb_read_defaults": (None, [POINTER(ReadOptions)]),
    "eo_wfdb_record_load": (c_int, [c_char_p, POINTER(ReadOptions), POINTER(POINTER(Record)), E]),
    "eo_wfdb_record_destroy": (None, [POINTER(Record)]),
    "eo_wfdb_record_physical": (c_int, [POINTER(Record), c_int, c_long, c_long, P_double, E]),
    "eo_wfdb_header_read": (c_int, [c_char_p, POINTER(POINTER(Header)), E]),
    "eo_wfdb_header_destroy": (None, [POINTER(Header)]),
    "eo_wfdb_record_write": (c_int, [c_char_p, c_char_p, c_int, c_double, c_int, c_long,
                                     POINTER(P_int32), POINTER(SignalInfo), E]),
    "eo_wfdb_reader_create": (c_int, [POINTER(ReadOptions), POINTER(c_void_p), E]),
    "eo_wfdb_reader_destroy": (None, [c_void_p]),
    "eo_annot_read": (c_int, [c_char_p, POINTER(POINTER(AnnotationSet)), E]),
    "eo_annot_write": (c_int, [c_char_p, POINTER(AnnotationSet), E]),
    "eo_annot_set_new": (POINTER(AnnotationSet), []),
    "eo_annot_set_push": (c_int, [POINTER(AnnotationSet), POINTER(Annotation), E]),
    "eo_annot_set_destroy": (None, [POINTER(AnnotationSet)]),
    "eo_annot_code_symbol": (c_char_p, [c_int]),
    "eo_annot_code_from_symbol": (c_int, [c_char_p]),
    "eo_annot_is_beat": (c_int, [c_int]),
    # dsp
    "eo_qrs_defaults": (None, [POINTER(QrsOptions), c_double]),
    "eo_qrs_detect": (c_int, [P_double, c_size_t, POINTER(QrsOptions), POINTER(P_long),
                              POINTER(c_size_t), E]),
    "eo_denoise_signal": (c_int, [P_double, c_size_t, c_double, c_char_p, c_uint64, P_double, E]),
    # eval
    "eo_ec57_defaults": (None, [POINTER(Ec57Options), c_double]),
    "eo_ec57_compare": (c_int, [POINTER(AnnotationSet), POINTER(AnnotationSet),
                                POINTER(Ec57Options), POINTER(Ec57Result), E]),
    "eo_ec57_stats_of": (None, [POINTER(Ec57Result), POINTER(Ec57Stats)]),
    "eo_ec57_class_metrics_of": (None, [POINTER(Ec57Result), POINTER(Ec57ClassMetrics)]),
    # ml
    "eo_classifier_load": (c_int, [c_char_p, POINTER(c_void_p), E]),
    "eo_classifier_destroy": (None, [c_void_p]),
    "eo_classifier_model": (c_char_p, [c_void_p]),
    "eo_classifier_labels": (c_int, [c_void_p]),
    "eo_classifier_fs": (c_double, [c_void_p]),
    "eo_classifier_lead_name": (c_int, [c_void_p, c_int, c_char_p, c_size_t]),
    "eo_classify_positions": (c_int, [c_void_p, c_char_p, P_long, c_size_t, c_char_p,
                                      POINTER(c_int), POINTER(ctypes.c_float), E]),
    "eo_label_set_n_classes": (c_int, [c_int]),
    "eo_label_class_name": (c_char_p, [c_int, c_int]),
    # codec
    "eo_codec_compress_samples": (c_int, [P_int32, c_int, c_long, c_double, P_double,
                                          POINTER(c_int), c_int, c_char_p, c_double,
                                          POINTER(POINTER(ctypes.c_ubyte)), POINTER(c_size_t), E]),
    "eo_ecgz_open_mem": (c_int, [c_char_p, c_size_t, c_char_p, POINTER(c_void_p), E]),
    "eo_ecgz_close": (None, [c_void_p]),
    "eo_ecgz_get_info": (POINTER(EcgzInfo), [c_void_p]),
    "eo_ecgz_read": (c_int, [c_void_p, c_long, c_long, POINTER(P_int32), E]),
    "eo_codec_mode_name": (c_char_p, [c_int]),
    # opt
    "eo_space_create": (c_int, [POINTER(c_void_p), E]),
    "eo_space_destroy": (None, [c_void_p]),
    "eo_space_add_real": (c_int, [c_void_p, c_char_p, c_double, c_double, c_int, E]),
    "eo_space_add_int": (c_int, [c_void_p, c_char_p, ctypes.c_longlong, ctypes.c_longlong,
                                 c_int, E]),
    "eo_space_add_categorical": (c_int, [c_void_p, c_char_p, POINTER(c_char_p), c_size_t, E]),
    "eo_space_decode": (None, [c_void_p, P_double, P_double]),
    "eo_opt_options_defaults": (None, [POINTER(OptOptions)]),
    "eo_optimizer_create": (c_int, [c_char_p, c_void_p, POINTER(OptOptions), POINTER(c_void_p),
                                    E]),
    "eo_optimizer_destroy": (None, [c_void_p]),
    "eo_optimizer_space": (c_void_p, [c_void_p]),
    "eo_optimizer_dim": (c_size_t, [c_void_p]),
    "eo_optimizer_ask": (c_int, [c_void_p, POINTER(c_size_t), POINTER(P_double), E]),
    "eo_optimizer_tell": (c_int, [c_void_p, c_size_t, P_double, POINTER(c_int), E]),
    "eo_optimizer_evals": (ctypes.c_longlong, [c_void_p]),
    "eo_optimizer_failures": (ctypes.c_longlong, [c_void_p]),
    "eo_optimizer_iterations": (ctypes.c_longlong, [c_void_p]),
    "eo_optimizer_best": (c_int, [c_void_p, P_double, P_double, P_double, E]),
    "eo_optimizer_best_curve": (c_size_t, [c_void_p, P_double, c_size_t]),
    "eo_optimizer_names": (POINTER(c_char_p), []),
    "eo_optimizer_summary": (c_char_p, [c_char_p]),
    "eo_cec2017_create": (c_int, [POINTER(c_void_p), c_int, c_int, c_char_p, E]),
    "eo_cec2017_destroy": (None, [c_void_p]),
    "eo_cec2017_eval": (c_double, [c_void_p, P_double]),
    "eo_cec2017_valid": (c_int, [c_int, c_int]),
}

missing = []
for _name, (_res, _args) in _PROTOS.items():
    try:
        _f = getattr(lib, _name)
    except AttributeError:
        missing.append(_name)
        continue
    _f.restype = _res
    _f.argtypes = _args

# optional entry points (added to the library after this package): bound when
# present, else the Python function raises NotImplementedError
OPTIONAL = {
    "eo_resample": (c_int, [P_double, c_size_t, c_double, c_double, POINTER(P_double),
                            POINTER(c_size_t), E]),
}


def optional(name):
    """The C function `name`, or None when this libecgopt lacks it."""
    try:
        f = getattr(lib, name)
    except AttributeError:
        return None
    f.restype, f.argtypes = OPTIONAL[name]
    return f


def need(name):
    if name in missing:
        raise NotImplementedError(f"ecgopt: {lib_path} has no {name}(); rebuild the library")
    return getattr(lib, name)


# ---- array helpers -------------------------------------------------------------


def as_f64(x, name, ndim=1, finite=True):
    """x as a C-contiguous float64 array of `ndim` dimensions, copying only
    when the dtype or layout requires it.  Integer and float32 arrays are
    converted; complex, bool, string and object arrays raise TypeError; the
    wrong number of dimensions, an empty array or (finite=True) NaN/inf raise
    ValueError."""
    a = np.asarray(x)
    if a.dtype.kind not in "iuf":
        raise TypeError(f"{name}: expected a real numeric array, got dtype {a.dtype}")
    if a.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array, got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name}: empty array")
    a = np.ascontiguousarray(a, dtype=np.float64)
    if finite and not np.isfinite(a).all():
        i = int(np.flatnonzero(~np.isfinite(a.ravel()))[0])
        raise ValueError(f"{name}: element {i} is {a.ravel()[i]} (NaN/inf not allowed)")
    return a


def ptr(a, ctype=c_double):
    return a.ctypes.data_as(POINTER(ctype))


def s(text):
    """str -> bytes for a char* argument."""
    return os.fsencode(text) if isinstance(text, (str, os.PathLike)) else text


def u(b):
    return b.decode("utf-8", "replace") if b is not None else ""
