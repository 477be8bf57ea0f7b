#!/usr/bin/python3
"""Write beat lists (one sample per line, INDIR/<rec>.txt) as WFDB MIT-format
annotation files OUTDIR/<rec>.<annotator>, every beat code N (1), so that
`ecgopt evaluate` scores a peer's beats the same way as ecgopt's.
usage: beats_to_ann.py INDIR OUTDIR ANNOTATOR REC..."""
import os
import struct
import sys

SKIP = 59


def write(path, samples):
    out = bytearray()
    prev = 0
    for s in samples:
        d = s - prev
        if d > 1023 or d < 0:
            out += struct.pack('<H', SKIP << 10)
            out += struct.pack('<hH', (d >> 16), d & 0xffff) if d >= 0 else struct.pack('<i', d)
            d = 0
        out += struct.pack('<H', (1 << 10) | d)
        prev = s
    out += b'\0\0'
    with open(path, 'wb') as f:
        f.write(out)


indir, outdir, ann = sys.argv[1:4]
for r in sys.argv[4:]:
    with open(os.path.join(indir, r + '.txt')) as f:
        s = sorted(int(float(x)) for x in f.read().split())
    write(os.path.join(outdir, '%s.%s' % (r, ann)), s)
