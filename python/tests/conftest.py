"""Shared fixtures: data folder, the ecgopt binary, a small trained model."""
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# test the package of this checkout, unless asked to test an installed one
if not os.environ.get("ECGOPT_TEST_INSTALLED"):
    sys.path.insert(0, os.path.dirname(HERE))


def data_dir():
    for d in (os.environ.get("ECGOPT_DATA"), os.path.join(REPO, "data"),
              os.path.join(REPO, "..", "shared", "data")):
        if d and os.path.isfile(os.path.join(d, "mitdb", "100.hea")):
            return os.path.abspath(d)
    return None


DATA = data_dir()
if DATA and not os.environ.get("ECGOPT_DATA"):
    os.environ["ECGOPT_DATA"] = DATA  # the library looks for cec2017/ there too
needs_mitdb = pytest.mark.skipif(DATA is None, reason="MIT-BIH not found (ECGOPT_DATA)")


def mitdb(rec):
    return os.path.join(DATA, "mitdb", str(rec))


@pytest.fixture(scope="session")
def ecgopt_bin():
    b = os.environ.get("ECGOPT_BIN")
    if not b:
        for d in ("build", "build-check"):
            p = os.path.join(REPO, d, "ecgopt")
            if os.path.exists(p):
                b = p
                break
    b = b or shutil.which("ecgopt")
    if not b:
        pytest.skip("the ecgopt binary was not found (ECGOPT_BIN)")
    return b


def run_cli(binary, *args, **kw):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    env.pop("LD_PRELOAD", None)  # the binary links its sanitizer runtime itself
    r = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, env=env, **kw)
    if r.returncode != 0:
        raise AssertionError(f"ecgopt {' '.join(map(str, args))} -> {r.returncode}: {r.stderr}")
    return r.stdout


@pytest.fixture(scope="session")
def gbm_model(ecgopt_bin, tmp_path_factory):
    """A small gbm (20 boosting rounds) trained on DS1 by `ecgopt train`."""
    if DATA is None:
        pytest.skip("MIT-BIH not found")
    p = tmp_path_factory.mktemp("model") / "gbm.model"
    run_cli(ecgopt_bin, "train", "--task", "classify", "--model", "gbm", "--rounds", "20",
            "--data", DATA, "-o", p, "--quiet")
    return str(p)


def pytest_sessionstart(session):
    """Check the ctypes struct layouts against the C headers before any test
    calls the library: a stale layout makes the library write past a ctypes
    struct, which can crash the interpreter and hide test_layout's message."""
    if not os.path.isdir(os.path.join(REPO, "include", "ecgopt")):
        return
    import test_layout
    members = test_layout.header_members()
    for name, cls in test_layout.STRUCTS.items():
        ours = [f[0] for f in cls._fields_]
        if members.get(name) != ours:
            pytest.exit(f"{name}: include/ecgopt has {members.get(name)}, "
                        f"python/ecgopt/_lib.py lays out {ours}", returncode=1)
