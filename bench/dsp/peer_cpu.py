#!/usr/bin/python3
"""CPU-time twin of ../shared/peers/pywt_bench.py: the same six operations on
the same record (read with the peer's wfdb_np), timed with time.process_time
(minimum over --reps after 2 warm-ups), which a loaded machine disturbs far
less than wall time.  Prints "CPU <name>: min_cpu_ms=<ms>" like bench_dsp.
Run: /usr/bin/python3 bench/dsp/peer_cpu.py PEERS_DIR MITDB_DIR [--reps N]"""
import sys
import time

import numpy as np
import pywt
from scipy.signal import butter, filtfilt, sosfiltfilt

sys.path.insert(0, sys.argv[1])
from wfdb_np import read_record  # noqa: E402

reps = int(sys.argv[sys.argv.index('--reps') + 1]) if '--reps' in sys.argv else 20
sig, hdr = read_record(sys.argv[2], '100')
ch = [s['desc'] for s in hdr['signals']].index('MLII')
x = np.ascontiguousarray(sig[:, ch], dtype=np.float64)
N = x.size
w = pywt.Wavelet('db4')


def thresh(coeffs):
    sigma = np.median(np.abs(coeffs[-1])) / 0.6745
    thr = sigma * np.sqrt(2.0 * np.log(N))
    return [coeffs[0]] + [pywt.threshold(c, thr, mode='soft') for c in coeffs[1:]]


def cpu(name, fn):
    for _ in range(2):
        fn()
    best = 1e30
    for _ in range(reps):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    print(f'  CPU {name}: min_cpu_ms={best * 1e3:.2f}', flush=True)


c = pywt.wavedec(x, w, level=6)
c2 = thresh(c)
b, a = butter(4, [0.5, 40.0], btype='bandpass', fs=hdr['fs'])
sos = butter(4, [0.5, 40.0], btype='bandpass', fs=hdr['fs'], output='sos')
cpu('wavedec', lambda: pywt.wavedec(x, w, level=6))
cpu('threshold', lambda: thresh(c))
cpu('waverec', lambda: pywt.waverec(c2, w)[:N])
cpu('denoise_total', lambda: pywt.waverec(thresh(pywt.wavedec(x, w, level=6)), w)[:N])
cpu('filtfilt_ba', lambda: filtfilt(b, a, x))
cpu('sosfiltfilt', lambda: sosfiltfilt(sos, x))
