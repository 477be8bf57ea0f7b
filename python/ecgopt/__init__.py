"""ecgopt: Python interface to libecgopt, the ECG pipeline and nature-inspired
optimiser library (docs/python.md).

    import ecgopt
    rec = ecgopt.read_record("data/mitdb/100")
    beats = ecgopt.detect_qrs(rec.signal("MLII"), rec.fs)

Library errors raise exceptions carrying the library's one-line message:
ValueError (bad input), FileNotFoundError / OSError (files; a malformed or
truncated file is ecgopt.FormatError, both an OSError and a ValueError),
MemoryError.  All derive from ecgopt.Error.
"""
from ._lib import (Error, FileError, FormatError, InputError, InternalError, NotFoundError,
                   lib_path)
from .classify import Classification, Classifier, evaluate
from .codec import compress, decompress
from .optimize import (Categorical, Int, OptimizeResult, Optimizer, Real, cec2017, methods,
                       minimize)
from .signal import DENOISE_METHODS, denoise, detect_qrs, resample
from .wfdb import (Annotations, Record, read_annotations, read_header, read_record,
                   write_annotations, write_record)

__version__ = "0.1.0"

__all__ = ["Annotations", "Categorical", "Classification", "Classifier", "DENOISE_METHODS",
           "Error", "FileError", "FormatError", "InputError", "InternalError", "Int",
           "NotFoundError", "OptimizeResult", "Optimizer", "Real", "Record", "cec2017",
           "compress", "decompress", "denoise", "detect_qrs", "evaluate", "lib_path", "methods",
           "minimize", "read_annotations", "read_header", "read_record", "resample",
           "write_annotations", "write_record"]
