#!/usr/bin/python3
"""Inputs and peer results for bench/denoise/denoise.sh.

Cases (written to OUTDIR, raw little-endian):
  * clean MIT-BIH MLII segments (RECORDS below, SECONDS long from START s)
    plus NSTDB `bw` / `ma` noise (channel 0) scaled to input SNR -6..24 dB
    the NSTDB way (nst(1)): S = (mean trimmed peak-to-peak QRS amplitude)^2/8
    over the annotated beats (window +-60 ms, 5% largest and smallest
    dropped); N = mean trimmed variance of the noise in 1-s windows;
    noise x sqrt(S / (N 10^(SNR/10))).  Each record takes the noise from a
    different offset so the cases do not share a noise realisation.
  * NSTDB 118e*/119e* (electrode motion added by the database, SNR 24..-6)
    against the clean MIT-BIH 118/119, MLII, a window inside the first noisy
    2-minute stretch (5:00-7:00).
  case_<i>.clean.f64, case_<i>.noisy.f64, case_<i>.ann.i64 (beat samples),
  index.txt: "i noise snr record n".
Peer (same inputs): SciPy sosfiltfilt Butterworth order-4 0.5-40 Hz band-pass
and PyWavelets db4 level-6 soft universal-threshold denoising, with the same
metrics (mean-removed SNR improvement); written to peer.txt:
  "i bandpass_dsnr wavelet_dsnr bandpass_s wavelet_s".

usage: denoise_prep.py OUTDIR [SECONDS]"""
import os
import sys
import time

import numpy as np
import pywt
from scipy import signal as sps

shared = os.environ.get("ECGOPT_SHARED", "../shared")
sys.path.insert(0, os.path.join(shared, "peers"))
import wfdb_np  # noqa: E402

RECORDS = ["100", "103", "105", "112", "113", "115", "117", "121", "122", "123"]
SNRS = [-6, 0, 6, 12, 18, 24]
START = 60.0
BEAT_SYMS = set("NLRBAaJSVrFejnE/fQ?")

outdir = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
mitdb = os.path.join(shared, "data", "mitdb")
nstdb = os.path.join(shared, "data", "nstdb")


def read_any(d, rec):
    """wfdb_np handles format 212; the 0 and -6 dB NSTDB records are format 16."""
    hdr = wfdb_np.read_header(os.path.join(d, rec + ".hea"))
    if all(sg["fmt"] == 212 for sg in hdr["signals"]):
        return wfdb_np.read_record(d, rec, check=False)
    raw = np.fromfile(os.path.join(d, hdr["signals"][0]["file"]), dtype="<i2")
    dig = raw[:(raw.size // hdr["nsig"]) * hdr["nsig"]].reshape(-1, hdr["nsig"])
    sig = np.empty(dig.shape)
    for k, sg in enumerate(hdr["signals"]):
        sig[:, k] = (dig[:, k] - sg["baseline"]) / sg["gain"]
    return sig, hdr


def trimmed_mean(v):
    v = np.sort(np.asarray(v, dtype=float))
    k = int(0.05 * len(v))
    return v[k:len(v) - k].mean() if len(v) - 2 * k > 0 else v.mean()


def beats_in(rec_dir, rec, a, b):
    s, sym, _ = wfdb_np.read_atr(os.path.join(rec_dir, rec + ".atr"))
    keep = [x for x, y in zip(s, sym) if y in BEAT_SYMS and a <= x < b]
    return np.array(keep, dtype=np.int64) - a


def signal_power(x, beats, fs):
    w = int(round(0.06 * fs))
    pp = [x[max(0, b - w):b + w + 1].ptp() for b in beats if b - w >= 0 and b + w < len(x)]
    return trimmed_mean(pp) ** 2 / 8.0


def noise_power(z, fs):
    w = int(fs)
    v = [np.var(z[i:i + w]) for i in range(0, len(z) - w + 1, w)]
    return trimmed_mean(v)


def snr_ac(c, y):
    e = (y - y.mean()) - (c - c.mean())
    return 10 * np.log10(((c - c.mean()) ** 2).sum() / (e ** 2).sum())


def peer(x, fs):
    t0 = time.perf_counter()
    sos = sps.butter(4, [0.5, 40.0], btype="bandpass", fs=fs, output="sos")
    bp = sps.sosfiltfilt(sos, x)
    t1 = time.perf_counter()
    c = pywt.wavedec(x, "db4", level=min(6, pywt.dwt_max_level(len(x), 8)))
    sig = np.median(np.abs(c[-1])) / 0.6745
    th = sig * np.sqrt(2 * np.log(len(x)))
    wv = pywt.waverec([c[0]] + [pywt.threshold(d, th, "soft") for d in c[1:]], "db4")[:len(x)]
    t2 = time.perf_counter()
    return bp, wv, t1 - t0, t2 - t1


index, peers = [], []
i = 0
noise = {}
for nm in ("bw", "ma"):
    sig, hdr = wfdb_np.read_record(nstdb, nm, check=False)
    noise[nm] = sig[:, 0]
for ri, rec in enumerate(RECORDS):
    sig, hdr = wfdb_np.read_record(mitdb, rec)
    fs = hdr["fs"]
    n = int(round(seconds * fs))
    a = int(START * fs)
    clean = sig[a:a + n, 0].copy()
    beats = beats_in(mitdb, rec, a, a + n)
    S = signal_power(clean, beats, fs)
    for nm in ("bw", "ma"):
        off = int((30 + 47 * ri) * fs) % (len(noise[nm]) - n)
        z = noise[nm][off:off + n] - noise[nm][off:off + n].mean()
        N = noise_power(z, fs)
        for snr in SNRS:
            noisy = clean + z * np.sqrt(S / (N * 10 ** (snr / 10.0)))
            index.append((i, nm, snr, rec, n, clean, noisy, beats, fs))
            i += 1
for rec in ("118", "119"):
    sig, hdr = wfdb_np.read_record(mitdb, rec)
    fs = hdr["fs"]
    n = int(round(seconds * fs))
    a = int(330 * fs)
    clean = sig[a:a + n, 0].copy()
    beats = beats_in(mitdb, rec, a, a + n)
    for snr in SNRS:
        tag = "e_6" if snr < 0 else "e%02d" % snr
        nsig, _ = read_any(nstdb, rec + tag)
        index.append((i, "em", snr, rec, n, clean, nsig[a:a + n, 0].copy(), beats, fs))
        i += 1

with open(os.path.join(outdir, "index.txt"), "w") as f, open(os.path.join(outdir, "peer.txt"), "w") as g:
    for (k, nm, snr, rec, n, clean, noisy, beats, fs) in index:
        clean.astype("<f8").tofile(os.path.join(outdir, "case_%d.clean.f64" % k))
        noisy.astype("<f8").tofile(os.path.join(outdir, "case_%d.noisy.f64" % k))
        beats.astype("<i8").tofile(os.path.join(outdir, "case_%d.ann.i64" % k))
        f.write("%d %s %d %s %d %g\n" % (k, nm, snr, rec, n, fs))
        bp, wv, tb, tw = peer(noisy, fs)
        d0 = snr_ac(clean, noisy)
        g.write("%d %.6f %.6f %.6g %.6g %.6f\n" % (k, snr_ac(clean, bp) - d0, snr_ac(clean, wv) - d0, tb, tw, d0))
print("prepared %d cases of %g s" % (len(index), seconds))
