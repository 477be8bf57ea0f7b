#!/usr/bin/env python3
"""record -> denoise -> detect -> classify -> evaluate -> plot (docs/python.md).
usage: PYTHONPATH=python python3 examples/pipeline.py RECORD MODEL [OUT.png]"""
import sys

import matplotlib
matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt
import numpy as np

import ecgopt

record, model, out = (sys.argv[1:] + ["pipeline.png"])[:3]
rec = ecgopt.read_record(record)                           # WFDB record, mV
x, fs = rec.signal("MLII"), rec.fs
clean = ecgopt.denoise(x, fs, method="wavelet")            # wavelet thresholding
beats = ecgopt.detect_qrs(clean, fs)                       # QRS detector
cls = ecgopt.Classifier.load(model).classify(clean, fs, beats)  # AAMI N S V F Q
ev = ecgopt.evaluate(ecgopt.read_annotations(record, "atr"), cls)  # EC57 vs reference
q, v = ev["qrs"], ev["veb"]
print(f"{rec.name}: {len(beats)} beats, QRS Se {q['se']:.2f} % +P {q['ppv']:.2f} %, "
      f"VEB Se {v['se'] or 0:.1f} % +P {v['ppv'] or 0:.1f} %, accuracy "
      f"{100 * ev['classes']['accuracy']:.1f} %")
fig, (a0, a1) = plt.subplots(1, 2, figsize=(14, 4), gridspec_kw={"width_ratios": [3, 1]})
t, w = np.arange(len(x)) / fs, slice(0, int(10 * fs))
a0.plot(t[w], x[w], lw=0.5, color="0.6")
a0.plot(t[w], clean[w], lw=0.8)
for b, lab in zip(cls.sample, cls.labels):
    if b < 10 * fs:
        a0.annotate(lab, (b / fs, clean[b]), color="r" if lab != "N" else "k", ha="center")
a0.set(xlabel="s", ylabel="mV", title=f"record {rec.name}: raw (grey), denoised, labels")
m = np.array(ev["matrix"])[:5, :5]
a1.imshow(np.log1p(m), cmap="Blues")  # log counts: the few S/V/F cells stay visible
a1.set(xticks=range(5), yticks=range(5), xticklabels=list("NSVFQ"), yticklabels=list("NSVFQ"),
       xlabel="predicted", ylabel="reference", title="EC57 matrix")
for i, j in np.ndindex(m.shape):
    a1.text(j, i, m[i, j], ha="center", va="center", fontsize=8)
fig.tight_layout()
fig.savefig(out, dpi=100)
