#!/usr/bin/python3
"""Peer for bench/io/read_all.sh: the NumPy reader ../shared/peers/wfdb_np.py
reads all MIT-BIH records (both signals, checksums and initial values checked,
physical units, float64) plus their .atr files; median wall and process CPU
time of --reps passes.  An untimed pass afterwards sums every physical value
(NaN excluded and counted) for the driver's agreement check.
prints: RESULT read_all: median_ms=... cpu_ms=... records=48 samples=... beats=...
        mid_mv_sum=... all_mv_sum=... nan=... precision=float64"""
import argparse, os, sys, time
ap = argparse.ArgumentParser()
ap.add_argument('--reps', type=int, default=5)
ap.add_argument('--shared', default=os.environ.get('ECGOPT_SHARED', '../shared'))
a = ap.parse_args()
sys.path.insert(0, os.path.join(a.shared, 'peers'))
import numpy as np
import wfdb_np
d = os.path.join(a.shared, 'data', 'mitdb')
recs = sorted(f[:-4] for f in os.listdir(d) if f.endswith('.hea'))
BEATS = set('N L R a V F J A S E j / Q B ? e n f r'.split())
times, cpu = [], []
for rep in range(a.reps):
    t0, c0 = time.perf_counter(), time.process_time()
    samples = beats = 0
    s = 0.0
    for r in recs:
        sig, hdr = wfdb_np.read_record(d, r, physical=True, check=True)
        s += float(sig[sig.shape[0] // 2, 0]) + float(sig[sig.shape[0] // 2, 1])
        samples += sig.size
        _, sym, _ = wfdb_np.read_atr(os.path.join(d, r + '.atr'))
        beats += sum(1 for x in sym if x in BEATS)
    times.append((time.perf_counter() - t0) * 1000)
    cpu.append((time.process_time() - c0) * 1000)
times.sort()
cpu.sort()
# untimed: every value (the peer marks no invalid samples: -2048 is not
# special to it, so the NaN count must come out 0 on both sides for MIT-BIH)
total, nan = 0.0, 0
for r in recs:
    sig, _ = wfdb_np.read_record(d, r, physical=True, check=True)
    m = np.isnan(sig)
    nan += int(m.sum())
    total += float(sig[~m].sum(dtype=np.float64))
print('RESULT read_all: median_ms=%.2f cpu_ms=%.2f records=%d samples=%d beats=%d mid_mv_sum=%.6f '
      'all_mv_sum=%.3f nan=%d precision=float64'
      % (times[len(times) // 2], cpu[len(cpu) // 2], len(recs), samples, beats, s, total, nan))
