#!/usr/bin/env bash
# ecgopt nn vs PyTorch 1.13 (CPU) on the same MIT-BIH DS1 beats: the reference
# CNN and CNN-LSTM of ../shared/peers/torch_cnn_bench.py, batch 64, Adam 1e-3.
# PyTorch runs at --threads 1 and 2 (its best is taken), ecgopt with both cores.
# Prints one line per figure ending in ratio=<ecgopt/peer>.
# Options via env: EPOCHS (3), WARMUP (100 batches), CNN_TRAIN (0 = all DS1),
# LSTM_TRAIN (16000), INFER (12800), THREADS (ecgopt, 2), TORCH_THREADS ("1 2";
# on an oversubscribed machine PyTorch at 2 threads can take 10x longer: "1").
# Every figure is printed against each PyTorch setting and against the best.
# TORCH_TIMEOUT (s, 0 = none) stops a PyTorch setting that runs longer.
# INFER_ROUNDS (3): short alternating rounds for inference and latency.
set -euo pipefail
B="${ECGOPT_BUILD:-$(cd "$(dirname "$0")/../.." && pwd)/build}"
SHARED="${ECGOPT_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}"
PEERS="$SHARED/peers"
PY=/usr/bin/python3
EPOCHS="${EPOCHS:-3}" WARMUP="${WARMUP:-100}" CNN_TRAIN="${CNN_TRAIN:-0}"
LSTM_TRAIN="${LSTM_TRAIN:-16000}" INFER="${INFER:-12800}" THREADS="${THREADS:-2}"
TORCH_THREADS="${TORCH_THREADS:-1 2}" TORCH_TIMEOUT="${TORCH_TIMEOUT:-0}" INFER_ROUNDS="${INFER_ROUNDS:-3}"
export MITDB_DIR="${MITDB_DIR:-$SHARED/data/mitdb}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$PY "$(dirname "$0")/dump_beats.py" "$tmp/beats.bin" "$PEERS"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "maxrss_kb=%M cpu_user_s=%U cpu_sys_s=%S wall_s=%e" "$B/bench_nn" "$tmp/beats.bin" --epochs "$EPOCHS" --threads "$THREADS" \
  --warmup-batches "$WARMUP" --cnn-train "$CNN_TRAIN" --lstm-train "$LSTM_TRAIN" --infer-beats "$INFER" \
  2>&1 | tee "$tmp/eo.txt"
for t in $TORCH_THREADS; do
  # a setting that runs past TORCH_TIMEOUT seconds (0 = no limit) is stopped;
  # the figures it finished still count, the others are reported missing
  (cd "$PEERS" && timeout "$TORCH_TIMEOUT" /usr/bin/time -f "maxrss_kb=%M cpu_user_s=%U cpu_sys_s=%S wall_s=%e" $PY torch_cnn_bench.py --threads "$t" --epochs "$EPOCHS" \
     --warmup-batches "$WARMUP" --cnn-train "$CNN_TRAIN" --lstm-train "$LSTM_TRAIN" --infer-beats "$INFER") \
     2>&1 | tee "$tmp/torch$t.txt" || echo "torch --threads $t: stopped after ${TORCH_TIMEOUT}s (TORCH_TIMEOUT) or failed" | tee -a "$tmp/torch$t.txt"
done
# Inference and latency again in INFER_ROUNDS short alternating rounds
# (ecgopt, then PyTorch at each setting; 640 training beats, 1 warm-up
# batch, so each process is mostly its inference and latency part): on a
# shared machine the load moves within minutes, and the processes of the
# long run above measure inference minutes apart.  Each side's best figure
# over the long run and the rounds is compared.
for r in $(seq 1 "$INFER_ROUNDS"); do
  "$B/bench_nn" "$tmp/beats.bin" --epochs 1 --threads "$THREADS" --warmup-batches 1 --cnn-train 640 \
    --lstm-train 640 --infer-beats "$INFER" 2>&1 | grep RESULT | tee "$tmp/eo_r$r.txt"
  for t in $TORCH_THREADS; do
    (cd "$PEERS" && timeout "$TORCH_TIMEOUT" $PY torch_cnn_bench.py --threads "$t" --epochs 1 --warmup-batches 1 \
       --cnn-train 640 --lstm-train 640 --infer-beats "$INFER") 2>&1 | grep RESULT | sed "s/^/torch ${t}t: /" \
       | tee "$tmp/torch${t}_r$r.txt" || true
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
$PY - "$tmp" <<'PYEOF'
import re, sys
d = sys.argv[1]
def parse(path):
    r = {}
    for line in open(path):
        m = re.search(r'RESULT (\w+): .*sec_per_epoch=([\d.]+).*infer_b256_beats_per_s=([\d.]+).*latency_b1_median_ms=([\d.]+)', line)
        if m:
            r[m.group(1)] = dict(epoch=float(m.group(2)), thr=float(m.group(3)), lat=float(m.group(4)))
            g = re.search(r'train_gflops=([\d.]+)', line)
            if g: r[m.group(1)]['gflops'] = float(g.group(1))
            g = re.search(r'train_mem_mb=([\d.]+)', line)
            if g: r[m.group(1)]['mem'] = float(g.group(1))
        m = re.search(r'maxrss_kb=(\d+)', line)
        if m: r['rss'] = int(m.group(1)) / 1024
        m = re.search(r'cpu_user_s=([\d.]+) cpu_sys_s=([\d.]+) wall_s=([\d.]+)', line)
        if m: r['cpu'] = float(m.group(1)) + float(m.group(2)); r['wall'] = float(m.group(3))
        m = re.search(r'sgemm_peak_gflops=([\d.]+)', line)
        if m: r['peak'] = float(m.group(1))
    return r
eo = parse(f'{d}/eo.txt')
import glob, os
tr = {t: parse(f'{d}/torch{t}.txt') for t in (1, 2) if os.path.exists(f'{d}/torch{t}.txt')}
# the alternating rounds: best inference throughput and latency of each side
def merge(main, paths):
    for pth in paths:
        for m, v in parse(pth).items():
            if not isinstance(v, dict):
                continue
            if m not in main:
                main[m] = dict(epoch=float('nan'), thr=v['thr'], lat=v['lat'])
            else:
                main[m]['thr'] = max(main[m]['thr'], v['thr'])
                main[m]['lat'] = min(main[m]['lat'], v['lat'])
merge(eo, sorted(glob.glob(f'{d}/eo_r*.txt')))
for t in (1, 2):
    rounds = sorted(glob.glob(f'{d}/torch{t}_r*.txt'))
    if rounds and any(os.path.getsize(x) for x in rounds):
        merge(tr.setdefault(t, {}), rounds)
t1 = tr.get(1) or tr.get(2) or {}
# each figure against every PyTorch thread setting that ran ("vs torch Nt"),
# then against PyTorch's best setting for that figure ("torch best"): the bar
# applies to the latter
for t, r in sorted(tr.items()):
    for m in ('cnn', 'cnnlstm'):
        if m in eo and m not in r:
            print(f"nn {m} vs torch {t}t: no result (stopped or failed; see its log above)")
for m in ('cnn', 'cnnlstm'):
    runs = {t: r[m] for t, r in tr.items() if m in r}
    if m not in eo or not runs:
        continue
    for t, r in sorted(runs.items()):
        print(f"nn {m} vs torch {t}t: training epoch {eo[m]['epoch']:.2f} / {r['epoch']:.2f} s ratio={eo[m]['epoch'] / r['epoch']:.3f}")
        print(f"nn {m} vs torch {t}t: inference throughput b256 {eo[m]['thr']:.0f} / {r['thr']:.0f} beats/s ratio={eo[m]['thr'] / r['thr']:.3f}")
        print(f"nn {m} vs torch {t}t: single-beat latency {eo[m]['lat']:.3f} / {r['lat']:.3f} ms ratio={eo[m]['lat'] / r['lat']:.3f}")
for m in ('cnn', 'cnnlstm'):
    runs = {t: r[m] for t, r in tr.items() if m in r}
    if m not in eo or not runs:
        continue
    be = min((r['epoch'] for r in runs.values() if r['epoch'] == r['epoch']), default=float('nan'))
    bt = max(r['thr'] for r in runs.values())
    bl = min(r['lat'] for r in runs.values())
    def per(k, fmt):
        return ', '.join(f"{t}t {fmt.format(r[k])}" for t, r in sorted(runs.items()))
    print(f"nn {m} training epoch: ecgopt {eo[m]['epoch']:.2f} s, torch best {be:.2f} s ({per('epoch', '{:.2f}')}) (bar <= 0.5) ratio={eo[m]['epoch'] / be:.3f}")
    print(f"nn {m} inference throughput b256: ecgopt {eo[m]['thr']:.0f}/s, torch best {bt:.0f}/s ({per('thr', '{:.0f}')}) (bar >= 2) ratio={eo[m]['thr'] / bt:.3f}")
    print(f"nn {m} single-beat latency: ecgopt {eo[m]['lat']:.3f} ms, torch best {bl:.3f} ms ({per('lat', '{:.3f}')}) (bar <= 0.25) ratio={eo[m]['lat'] / bl:.3f}")
if 'cnn' in eo and 'peak' in eo:
    print(f"nn cnn training achieved {eo['cnn']['gflops']:.2f} GFLOP/s vs OpenBLAS SGEMM peak {eo['peak']:.1f} GFLOP/s (same run) ratio={eo['cnn']['gflops'] / eo['peak']:.3f}")
mem = eo.get('cnn', {}).get('mem', float('nan'))
for t, r in sorted(tr.items()):
    if 'rss' in eo and 'rss' in r:
        print(f"nn peak memory of the training run: ecgopt maxrss {eo['rss']:.0f} MiB (activations+params+Adam {mem:.1f} MiB), torch {t}t maxrss {r['rss']:.0f} MiB ratio={eo['rss'] / r['rss']:.3f}")
for t, r in sorted(tr.items()):
    if 'cpu' in eo and 'cpu' in r:
        # whole processes (both models: data, warm-up, epochs, inference, latency): the CPU
        # time each was given is what a shared machine's scheduler decides; cpu/wall shows it
        print(f"nn whole run CPU time: ecgopt {eo['cpu']:.1f} s of {eo['wall']:.1f} s wall, torch {t}t {r['cpu']:.1f} s of {r['wall']:.1f} s wall (informative; work differs: torch's data loading, ecgopt's SGEMM peak) ratio={eo['cpu'] / r['cpu']:.3f}")
PYEOF
