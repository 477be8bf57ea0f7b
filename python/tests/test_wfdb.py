"""read_record / read_annotations / write_* against an independent NumPy
decoder of format 212 and the library's own round trips."""
import os
import shutil

import numpy as np
import pytest

import ecgopt
from conftest import DATA, mitdb, needs_mitdb

MITDB_48 = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 111, 112, 113, 114, 115, 116, 117,
            118, 119, 121, 122, 123, 124, 200, 201, 202, 203, 205, 207, 208, 209, 210, 212, 213,
            214, 215, 217, 219, 220, 221, 222, 223, 228, 230, 231, 232, 233, 234]


def parse_header(path):
    """Signal lines of a single-segment header: (file, fmt, gain, adc_res, zero, baseline?, desc)."""
    lines = [ln for ln in open(path + ".hea") if ln.strip() and not ln.startswith("#")]
    rec = lines[0].split()
    nsig, fs = int(rec[1]), float(rec[2])
    sigs = []
    for ln in lines[1:1 + nsig]:
        f = ln.split()
        gain_field = f[2]
        baseline = None
        g = gain_field.split("/")[0]
        if "(" in g:
            g, b = g.split("(")
            baseline = int(b.rstrip(")"))
        zero = int(f[4])
        sigs.append(dict(file=f[0], fmt=int(f[1]), gain=float(g),
                         baseline=zero if baseline is None else baseline,
                         desc=" ".join(f[8:]) if len(f) > 8 else ""))
    return fs, sigs


def decode_212(path, nsig):
    """Format 212 by hand: two 12-bit two's-complement samples in 3 bytes;
    -2048 is WFDB's invalid sample."""
    b = np.fromfile(path, dtype=np.uint8)
    b = b[: len(b) // 3 * 3].reshape(-1, 3).astype(np.int32)
    s0 = b[:, 0] | ((b[:, 1] & 0x0F) << 8)
    s1 = b[:, 2] | ((b[:, 1] & 0xF0) << 4)
    v = np.stack([s0, s1], axis=1).reshape(-1)
    v = np.where(v >= 2048, v - 4096, v)
    return v[: len(v) // nsig * nsig].reshape(-1, nsig)


@needs_mitdb
@pytest.mark.parametrize("rec", MITDB_48)
def test_read_record_bit_exact_mitdb(rec):
    base = mitdb(rec)
    fs, sigs = parse_header(base)
    r = ecgopt.read_record(base)
    d = ecgopt.read_record(base, physical=False)
    nsig = len(sigs)
    assert r.fs == fs and r.signals.shape[1] == nsig and r.signals.dtype == np.float64
    assert r.sig_names == [s["desc"] for s in sigs]
    assert all(s["fmt"] == 212 for s in sigs)
    adu = decode_212(os.path.join(DATA, "mitdb", sigs[0]["file"]), nsig)
    assert r.signals.shape == adu.shape == d.signals.shape
    assert np.array_equal(d.signals, adu)
    gain = np.array([s["gain"] for s in sigs])
    base_v = np.array([s["baseline"] for s in sigs])
    assert d.gain == list(gain) and d.baseline == list(base_v)
    want = (adu - base_v).astype(np.float64) / gain  # WFDB aduphys()
    want[adu == -2048] = np.nan
    # bit for bit: compare the IEEE-754 bit patterns
    assert np.array_equal(r.signals.view(np.int64), want.view(np.int64))


@needs_mitdb
def test_record_metadata():
    r = ecgopt.read_record(mitdb(100) + ".hea")  # the extension is accepted
    assert r.name == "100" and r.units == ["mV", "mV"] and r.sig_names == ["MLII", "V5"]
    assert r.comments[0].split()[:2] == ["69", "M"]
    assert r.signals.shape == (650000, 2) and r.n_samples == 650000
    assert np.array_equal(r.signal("V5"), r.signals[:, 1])
    with pytest.raises(ValueError, match="no signal 'V1'"):
        r.signal("V1")


@needs_mitdb
def test_read_annotations():
    a = ecgopt.read_annotations(mitdb(100), "atr")
    assert len(a) == 2274 and a.fs == 360.0 and a.n_samples == 650000
    assert a.sample.dtype == np.int64
    assert list(a.sample[:3]) == [18, 77, 370] and a.symbol[:3] == ["+", "N", "N"]
    assert a.aux[0] == "(N" and a.aux[1] is None
    b = a.beats()
    assert len(b) == 2273 and set(b.symbol) == {"N", "A", "V"}
    assert b.symbol.count("A") == 33 and b.symbol.count("V") == 1


@needs_mitdb
def test_write_read_round_trip(tmp_path):
    d = ecgopt.read_record(mitdb(100), physical=False)
    x = d.signals[:36000]
    for fmt in (16, 212):
        p = tmp_path / f"r{fmt}"
        ecgopt.write_record(p, x, d.fs, sig_names=d.sig_names, fmt=fmt, gain=200, baseline=1024)
        back = ecgopt.read_record(p, physical=False)
        assert np.array_equal(back.signals, x) and back.fs == 360.0
        assert back.sig_names == ["MLII", "V5"] and back.fmt == [fmt, fmt]
        phys = ecgopt.read_record(p)
        assert np.array_equal(phys.signals, (x - 1024) / 200.0)
    # physical values at 200 adu/mV come back exactly
    r = ecgopt.read_record(mitdb(100))
    ecgopt.write_record(tmp_path / "phys", r.signals[:3600], r.fs)
    assert np.array_equal(ecgopt.read_record(tmp_path / "phys").signals, r.signals[:3600])


@needs_mitdb
def test_annotations_round_trip(tmp_path):
    a = ecgopt.read_annotations(mitdb(100), "atr")
    shutil.copy(mitdb(100) + ".hea", tmp_path / "100.hea")
    ecgopt.write_annotations(tmp_path / "100", "cpy", a)
    b = ecgopt.read_annotations(tmp_path / "100", "cpy")
    assert np.array_equal(a.sample, b.sample) and a.symbol == b.symbol and a.aux == b.aux
    assert np.array_equal(a.code, b.code) and np.array_equal(a.num, b.num)
    ecgopt.write_annotations(tmp_path / "x", "qrs", np.array([10, 20, 30]), "V")
    c = ecgopt.read_annotations(tmp_path / "x", "qrs")
    assert list(c.sample) == [10, 20, 30] and c.symbol == ["V"] * 3 and c.fs is None
    with pytest.raises(ValueError, match="time order"):
        ecgopt.write_annotations(tmp_path / "x", "bad", np.array([30, 20]), "N")
    with pytest.raises(ValueError, match="unknown symbol"):
        ecgopt.write_annotations(tmp_path / "x", "bad", np.array([1, 2]), ["N", "??"])


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        ecgopt.read_record(tmp_path / "nope")
    assert "nope" in str(e.value) and isinstance(e.value, ecgopt.Error)
    with pytest.raises(FileNotFoundError, match="nope.atr"):
        ecgopt.read_annotations(tmp_path / "nope", "atr")


@needs_mitdb
def test_truncated_dat(tmp_path):
    shutil.copy(mitdb(100) + ".hea", tmp_path / "100.hea")
    data = open(mitdb(100) + ".dat", "rb").read()
    (tmp_path / "100.dat").write_bytes(data[: len(data) // 2])
    with pytest.raises(ecgopt.FormatError) as e:
        ecgopt.read_record(tmp_path / "100")
    assert isinstance(e.value, OSError) and isinstance(e.value, ValueError)
    assert "100" in str(e.value)
    # a damaged byte fails the checksum unless verification is off
    (tmp_path / "100.dat").write_bytes(data[:1000] + bytes([data[1000] ^ 0x55]) + data[1001:])
    with pytest.raises(ecgopt.FormatError, match="checksum"):
        ecgopt.read_record(tmp_path / "100")
    assert ecgopt.read_record(tmp_path / "100", verify=False).signals.shape == (650000, 2)


def test_bad_header_and_bad_arrays(tmp_path):
    (tmp_path / "b.hea").write_text("b 2 abc 100\n")
    with pytest.raises(ecgopt.FormatError):
        ecgopt.read_record(tmp_path / "b")
    with pytest.raises(ValueError, match="shape"):
        ecgopt.write_record(tmp_path / "w", np.zeros((2, 3, 4)), 360)
    with pytest.raises(TypeError, match="dtype"):
        ecgopt.write_record(tmp_path / "w", np.array(["a", "b"]), 360)
    with pytest.raises(ValueError, match="NaN"):
        ecgopt.write_record(tmp_path / "w", np.array([0.1, np.nan]), 360)
    with pytest.raises(ValueError, match="range"):
        ecgopt.write_record(tmp_path / "w", np.array([1000.0, 0.0]), 360)  # 200000 adu
    assert not any(p.name.startswith("w") for p in tmp_path.iterdir())  # nothing partial
