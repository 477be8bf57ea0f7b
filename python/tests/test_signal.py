"""detect_qrs against `ecgopt detect`, denoise, resample, and array checks."""
import numpy as np
import pytest

import ecgopt
from ecgopt import _lib
from conftest import mitdb, needs_mitdb, run_cli

FIVE = [100, 105, 119, 208, 233]


@needs_mitdb
def test_detect_qrs_equals_cli(ecgopt_bin, tmp_path):
    run_cli(ecgopt_bin, "detect", *[mitdb(r) for r in FIVE], "-o", str(tmp_path) + "/",
            "--quiet")
    for rec in FIVE:
        r = ecgopt.read_record(mitdb(rec))
        beats = ecgopt.detect_qrs(r.signal("MLII"), r.fs)
        cli = ecgopt.read_annotations(tmp_path / str(rec), "qrs")
        assert beats.dtype == np.int64 and len(beats) > 1500
        assert np.array_equal(beats, cli.sample), rec


@needs_mitdb
def test_detect_qrs_arrays():
    r = ecgopt.read_record(mitdb(100))
    x = r.signal("MLII")[:36000]
    assert x.flags.c_contiguous  # read_record's columns are contiguous: passed without a copy
    ref = ecgopt.detect_qrs(x, 360)
    xs = np.ascontiguousarray(r.signals[:36000])[:, 0]  # a column of a C-ordered array
    assert not xs.flags.c_contiguous
    assert np.array_equal(ecgopt.detect_qrs(xs, 360.0), ref)  # strided input is copied
    assert np.array_equal(ecgopt.detect_qrs(x.astype(np.float32).astype(np.float64), 360), ref)
    adu = ecgopt.read_record(mitdb(100), physical=False).signal("MLII")[:36000]
    assert len(ecgopt.detect_qrs(adu, 360)) == len(ref)  # integers are converted
    assert len(ecgopt.detect_qrs(x, 360, threshold=0.9)) <= len(ref)
    with pytest.raises(ValueError, match="1-D"):
        ecgopt.detect_qrs(r.signals, 360)
    with pytest.raises(ValueError, match="NaN"):
        ecgopt.detect_qrs(np.where(np.arange(len(x)) == 5, np.nan, x), 360)
    with pytest.raises(TypeError, match="dtype"):
        ecgopt.detect_qrs(x.astype(complex), 360)
    with pytest.raises(ValueError, match="sampling rate"):
        ecgopt.detect_qrs(x, 0)
    with pytest.raises(ValueError):
        ecgopt.detect_qrs(x, 20)  # the library refuses < 50 Hz
    with pytest.raises(TypeError, match="unknown option"):
        ecgopt.detect_qrs(x, 360, treshold=0.5)
    with pytest.raises(ValueError, match="empty"):
        ecgopt.detect_qrs(np.array([]), 360)


def test_denoise_removes_mains_and_drift():
    fs = 360.0
    t = np.arange(int(20 * fs)) / fs
    clean = np.exp(-(((t % 0.8) - 0.3) / 0.01) ** 2)  # spiky beats, 75 bpm
    noisy = clean + 0.2 * np.sin(2 * np.pi * 50 * t) + 0.5 * np.sin(2 * np.pi * 0.2 * t)

    def mains(y):  # amplitude of the 50 Hz component
        return 2 * abs(np.dot(y, np.exp(-2j * np.pi * 50 * t))) / len(t)

    for m in ("bandpass", "wavelet", "median"):
        y = ecgopt.denoise(noisy, fs, method=m)
        assert y.shape == noisy.shape and np.isfinite(y).all()
        assert not np.array_equal(y, noisy)
    y = ecgopt.denoise(noisy, fs, method="bandpass")  # 0.5-40 Hz
    assert mains(y) < 0.2 * mains(noisy)  # 4th-order Butterworth at 40 Hz, both directions
    assert np.std(y - (clean - clean.mean())) < 0.5 * np.std(noisy - clean)
    with pytest.raises(ValueError, match="unknown method"):
        ecgopt.denoise(noisy, fs, method="fft")
    with pytest.raises(ValueError, match="NaN"):
        ecgopt.denoise(np.array([0.0, np.inf, 1.0]), fs)


def test_resample_absent_is_clear(monkeypatch):
    monkeypatch.setattr(_lib, "optional", lambda name: None)
    with pytest.raises(NotImplementedError, match="eo_resample"):
        ecgopt.resample(np.zeros(100), 360, 250)


def test_resample_present():
    if _lib.optional("eo_resample") is None:
        pytest.skip("this libecgopt has no eo_resample yet")
    fs_in, fs_out = 360.0, 250.0
    t = np.arange(3600) / fs_in
    y = ecgopt.resample(np.sin(2 * np.pi * 5 * t), fs_in, fs_out)
    assert abs(len(y) - 2500) <= 1
    t2 = np.arange(len(y)) / fs_out
    mid = slice(100, len(y) - 100)
    assert np.max(np.abs(y[mid] - np.sin(2 * np.pi * 5 * t2[mid]))) < 1e-2
    with pytest.raises(ValueError):
        ecgopt.resample(np.zeros(10), 360, -1)
