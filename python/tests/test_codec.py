"""compress -> decompress, bit-exact for lossless, bounded within its bound."""
import numpy as np
import pytest

import ecgopt
from conftest import mitdb, needs_mitdb


@needs_mitdb
@pytest.mark.parametrize("rec", [100, 207])
def test_lossless_bit_exact(rec):
    d = ecgopt.read_record(mitdb(rec), physical=False)
    z = ecgopt.compress(d.signals, d.fs, mode="lossless", gain=d.gain, baseline=d.baseline,
                        adc_bits=11)
    assert isinstance(z, bytes) and len(z) < d.signals.size * 11 / 8 / 1.8  # CR > 1.8
    x, h = ecgopt.decompress(z)
    assert x.dtype == np.int32 and np.array_equal(x, d.signals)
    assert h["fs"] == 360.0 and h["mode"] == "lossless" and h["max_error_adu"] == 0
    assert h["gain"] == d.gain and h["baseline"] == d.baseline


@needs_mitdb
def test_bounded_and_wavelet():
    d = ecgopt.read_record(mitdb(100), physical=False)
    x = d.signals[:72000]
    lossless = len(ecgopt.compress(x, 360))
    z = ecgopt.compress(x, 360, mode="bounded", level=3)
    y, h = ecgopt.decompress(z)
    assert h["max_error_adu"] == 3 and np.abs(y.astype(int) - x).max() <= 3
    assert len(z) < lossless
    w = ecgopt.compress(x, 360, mode="wavelet", level=5)
    assert len(w) < len(z) and ecgopt.decompress(w)[0].shape == x.shape
    one, _ = ecgopt.decompress(ecgopt.compress(x[:, 0], 360))  # 1-D = one signal
    assert one.shape == (72000, 1) and np.array_equal(one[:, 0], x[:, 0])


def test_codec_bad_input():
    x = (np.arange(2000) % 50).astype(np.int32)
    with pytest.raises(TypeError, match="integer"):
        ecgopt.compress(x.astype(float), 360)
    with pytest.raises(ValueError, match="mode"):
        ecgopt.compress(x, 360, mode="zip")
    with pytest.raises(ValueError, match="ae"):
        ecgopt.compress(x, 360, mode="ae")
    with pytest.raises(ValueError, match="shape"):
        ecgopt.compress(x.reshape(2, 10, 100), 360)
    with pytest.raises(ValueError, match="bounded"):
        ecgopt.compress(x, 360, mode="bounded", level=1.5)
    z = ecgopt.compress(x, 360)
    with pytest.raises(ecgopt.FormatError):
        ecgopt.decompress(z[: len(z) // 2])
    bad = bytearray(z)
    bad[len(bad) // 2] ^= 0xFF
    with pytest.raises(ecgopt.FormatError):
        ecgopt.decompress(bytes(bad))
    with pytest.raises(TypeError):
        ecgopt.decompress("not bytes")
