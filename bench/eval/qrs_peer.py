"""Peer for bench/eval/qrs_mitdb.sh: the Pan-Tompkins detector as Python users
typically write it with NumPy/SciPy (offline: SciPy band-pass 5-15 Hz,
np.diff derivative, squaring, 150 ms moving-window integration, scipy
find_peaks with a 200 ms refractory distance, PT's adaptive SPKI/NPKI
thresholds (eqs. 12-15 of Pan & Tompkins 1985), search-back at 1.66 RR with
the half threshold, T-wave rejection by slope).  This is a baseline written
for this benchmark (no Python QRS package is installed here), not ecgopt code.

usage: qrs_peer.py OUTDIR [RECORD ...]
Writes OUTDIR/<record>.txt (one beat sample per line) and prints
`peer seconds=<detection seconds, reading excluded>`.
"""
import os
import sys
import time

import numpy as np
from scipy.signal import butter, find_peaks, lfilter

sys.path.insert(0, os.path.join(os.environ.get('ECGOPT_SHARED', os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared')), 'peers'))
import wfdb_np  # noqa: E402

RECORDS = ('100 101 102 103 104 105 106 107 108 109 111 112 113 114 115 116 117 118 119 121 '
           '122 123 124 200 201 202 203 205 207 208 209 210 212 213 214 215 217 219 220 221 '
           '222 223 228 230 231 232 233 234').split()


def pan_tompkins(x, fs):
    b, a = butter(1, [5.0 / (fs / 2), 15.0 / (fs / 2)], btype='band')
    bp = lfilter(b, a, x)
    d = np.diff(bp, prepend=bp[0])
    w = int(round(0.15 * fs))
    mwi = np.convolve(d * d, np.ones(w) / w)[:len(x)]
    peaks, _ = find_peaks(mwi, distance=int(round(0.2 * fs)))
    spki = np.max(mwi[:int(2 * fs)]) / 3.0
    npki = np.mean(mwi[:int(2 * fs)]) / 2.0
    thr = npki + 0.25 * (spki - npki)
    qrs = []
    slopes = []
    rr = []
    last_noise = []
    i = 0
    while i < len(peaks):
        p = peaks[i]
        v = mwi[p]
        seg = d[max(0, p - w):p + 1]
        slope = np.max(np.abs(seg)) if len(seg) else 0.0
        is_qrs = False
        if v > thr:
            if qrs and p - qrs[-1] < 0.36 * fs and slopes and slope < 0.5 * slopes[-1]:
                is_qrs = False
            else:
                is_qrs = True
        if is_qrs:
            if qrs:
                rr.append(p - qrs[-1])
            qrs.append(p)
            slopes.append(slope)
            spki = 0.125 * v + 0.875 * spki
        else:
            npki = 0.125 * v + 0.875 * npki
            last_noise.append(p)
        thr = npki + 0.25 * (spki - npki)
        # search-back: no QRS for 1.66 mean RR -> best peak above thr/2
        if len(rr) >= 2 and i + 1 < len(peaks):
            rr_avg = np.mean(rr[-8:])
            nxt = peaks[i + 1]
            if nxt - qrs[-1] > 1.66 * rr_avg:
                cand = [q for q in last_noise if q > qrs[-1] + 0.36 * fs and q < nxt]
                if cand:
                    best = max(cand, key=lambda q: mwi[q])
                    if mwi[best] > thr / 2:
                        rr.append(best - qrs[-1])
                        qrs.append(best)
                        s2 = d[max(0, best - w):best + 1]
                        slopes.append(np.max(np.abs(s2)))
                        spki = 0.25 * mwi[best] + 0.75 * spki
                        thr = npki + 0.25 * (spki - npki)
                last_noise = []
        i += 1
    # fiducial: largest |band-passed| sample in the integration window
    out = []
    for p in qrs:
        lo = max(0, p - w)
        out.append(lo + int(np.argmax(np.abs(bp[lo:p + 1]))))
    return np.array(sorted(set(out)), dtype=np.int64)


def main():
    outdir = sys.argv[1]
    recs = sys.argv[2:] or RECORDS
    data = os.environ.get('MITDB_DIR') or os.path.join(os.environ.get('ECGOPT_SHARED', ''), 'data', 'mitdb')
    total = 0.0
    for r in recs:
        sig, hdr = wfdb_np.read_record(data, r)
        descs = [s['desc'] for s in hdr['signals']]
        k = descs.index('MLII') if 'MLII' in descs else 0
        t0 = time.perf_counter()
        beats = pan_tompkins(sig[:, k], hdr['fs'])
        total += time.perf_counter() - t0
        np.savetxt(os.path.join(outdir, f'{r}.txt'), beats, fmt='%d')
    print(f'peer seconds={total:.3f}')


if __name__ == '__main__':
    main()
