#!/usr/bin/python3
"""Dump the peer's DS1 beats (../shared/peers/beats.py) to a binary file for
bench_nn: u32 n, u32 L, float32 x[n*L], int32 y[n] (little-endian), so ecgopt
and PyTorch train on exactly the same beats.  usage: dump_beats.py OUT [PEERS_DIR]"""
import os
import sys

import numpy as np

peers = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'peers')
sys.path.insert(0, peers)
import beats  # noqa: E402

X, y = beats.build(beats.DS1)
with open(sys.argv[1], 'wb') as f:
    np.array([X.shape[0], X.shape[1]], dtype='<u4').tofile(f)
    X.astype('<f4').tofile(f)
    y.astype('<i4').tofile(f)
