"""Library discovery and the error mapping."""
import os
import subprocess
import sys

import pytest

import ecgopt
from conftest import HERE


def test_missing_library_names_the_places(tmp_path):
    env = dict(os.environ, ECGOPT_LIB=str(tmp_path / "libnothere.so"),
               PYTHONPATH=os.path.dirname(HERE))
    r = subprocess.run([sys.executable, "-c", "import ecgopt"], capture_output=True, text=True,
                       env=env)
    assert r.returncode != 0
    assert "cannot load libecgopt.so" in r.stderr and "libnothere.so" in r.stderr
    assert "ECGOPT_LIB" in r.stderr


def test_library_found_and_exceptions():
    assert os.path.exists(ecgopt.lib_path)
    # every function the package binds is exported (the library is built
    # with hidden visibility: only EO_API functions of the public headers)
    assert ecgopt._lib.missing == []
    for cls, bases in ((ecgopt.FormatError, (OSError, ValueError)),
                       (ecgopt.NotFoundError, (FileNotFoundError, ValueError)),
                       (ecgopt.InputError, (ValueError,)), (ecgopt.FileError, (OSError,))):
        assert issubclass(cls, ecgopt.Error) and all(issubclass(cls, b) for b in bases)
    with pytest.raises(ecgopt.NotFoundError) as e:
        ecgopt.read_record("/nonexistent/dir/rec")
    assert e.value.status == "not found" or e.value.status == "io"
