"""`pip install` of python/ works offline (Debian's pip and setuptools, no
build isolation); the installed package imports and finds the library."""
import os
import shutil
import subprocess
import sys

import pytest

import ecgopt
from conftest import HERE


def test_pip_install_offline(tmp_path):
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode:
        pytest.skip("pip is not installed for this python3 (python3-pip)")
    src = tmp_path / "src"  # a copy, so the build writes nothing into the checkout
    pkg = os.path.dirname(HERE)
    shutil.copytree(pkg, src, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info",
                                                            "__pycache__", "libecgopt.so*"))
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation",
                        "--no-deps", "--target", str(tmp_path / "site"), str(src)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"), ECGOPT_LIB=ecgopt.lib_path)
    r = subprocess.run([sys.executable, "-c", "import ecgopt; print(ecgopt.__file__); "
                        "print(ecgopt.methods())"], capture_output=True, text=True, env=env,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert str(tmp_path / "site") in r.stdout and "gwo" in r.stdout
