#!/usr/bin/env bash
# ECG codec on all 48 MIT-BIH records, both leads, all 650000 samples each:
#  - lossless: ecgopt (bench_codec, bit-exact round trip checked) vs flac -8
#    on the same samples (16-bit interleaved stereo raw written by
#    bench_codec --raw), same run.  CR = 11 bits x samples / file bits
#    (every byte of every file).  Prints CR ratio and encode CPU-time ratio.
#  - the cited reference method family (order-2 LP + Golomb-Rice) and an
#    oracle bound on it (bench_gr_bound), same samples.
#  - the same with the context-mixing residual coder (--coder mix).
#  - bounded |error| <= 1 adu: CR, max error checked.
#  - wall time of compress + decompress of all 48 records (lossless), also
#    with blocks coded on THREADS (default 2) threads.
# Lines end in ratio=<ecgopt/peer>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
B="${ECGOPT_BUILD:-$here/../../build}"
S="${ECGOPT_SHARED:-$(cd "$here/../../.." && pwd)/shared}"
D="$S/data/mitdb"
command -v flac >/dev/null || { echo "codec.sh: flac not installed (apt-get install flac)" >&2; exit 1; }
recs=$(ls "$D"/*.hea | xargs -n1 basename | sed 's/\.hea$//' | sort)
n=$(echo $recs | wc -w)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$B/bench_codec" --mode lossless --raw "$tmp" "$D" $recs > "$tmp/lossless.txt"
ours=$(tail -1 "$tmp/lossless.txt")
echo "ecgopt lossless: $ours"

# flac -8 on the same samples; CPU seconds of the flac processes
fbytes=0
fcpu=0
for r in $recs; do
  t=$( { /usr/bin/time -f "%U %S" flac -8 -s -f --force-raw-format --endian=little --sign=signed \
        --channels=2 --bps=16 --sample-rate=360 "$tmp/$r.raw" -o "$tmp/$r.flac" ; } 2>&1 | tail -1)
  fcpu=$(awk -v a="$fcpu" -v t="$t" 'BEGIN { split(t, x, " "); printf "%.3f", a + x[1] + x[2] }')
  fbytes=$((fbytes + $(stat -c %s "$tmp/$r.flac")))
  rm -f "$tmp/$r.raw"
done
samples=$(awk '/^record/ { split($3, a, "="); split($2, b, "="); s += 650000 * a[2] } END { print s }' "$tmp/lossless.txt")
ocr=$(echo "$ours" | sed -n 's/.* cr=\([0-9.]*\).*/\1/p')
ocpu=$(echo "$ours" | sed -n 's/.*encode_cpu_s=\([0-9.]*\).*/\1/p')
dcpu=$(echo "$ours" | sed -n 's/.*decode_cpu_s=\([0-9.]*\).*/\1/p')
wall=$(echo "$ours" | sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p')
fails=$(echo "$ours" | sed -n 's/.*roundtrip_failures=\([0-9]*\).*/\1/p')
awk -v n="$n" -v s="$samples" -v fb="$fbytes" -v ocr="$ocr" -v f="$fails" 'BEGIN {
  fcr = 11 * s / (8 * fb);
  printf "lossless %d records x 2 leads (%d samples, bit-exact failures %d): CR vs 11 bits ecgopt=%.4f flac-8=%.4f ratio=%.4f\n", n, s, f, ocr, fcr, ocr / fcr }'
awk -v a="$ocpu" -v b="$fcpu" 'BEGIN { printf "lossless encode CPU seconds (48 records): ecgopt=%.2f flac-8=%.2f ratio=%.3f\n", a, b, a / b }'
awk -v e="$ocpu" -v d="$dcpu" -v w="$wall" 'BEGIN { printf "lossless compress+decompress all records: encode_cpu_s=%.2f decode_cpu_s=%.2f total_cpu_s=%.2f (bar < 60 s) wall_s=%.2f (includes reading the records; shared machine)\n", e, d, e + d, w }'

# the method family the 3.5 bar cites (Bannajak 2023: order-2 linear
# prediction + Golomb-Rice), measured on the same samples, with an oracle
# GR (best predictor and k per 64 samples, side information free) as its bound
"$B/bench_gr_bound" "$D" $recs > "$tmp/gr.txt"
grep -E '^(adaptive|oracle|zeroth)' "$tmp/gr.txt"
gcr=$(awk '/^oracle GR/ { for (i = 1; i <= NF; i++) if ($i ~ /^cr_vs_11_bits=/) { split($i, kv, "="); print kv[2] } }' "$tmp/gr.txt")
awk -v a="$ocr" -v g="$gcr" 'BEGIN { printf "lossless CR vs 11 bits: ecgopt=%.4f oracle-GR(order 1/2)=%.4f ratio=%.4f\n", a, g, a / g }'

# the context-mixing residual coder (--coder mix): better CR, more CPU
"$B/bench_codec" --mode lossless --coder mix "$D" $recs > "$tmp/mix.txt"
m=$(tail -1 "$tmp/mix.txt")
echo "ecgopt lossless --coder mix: $m"
echo "$m" | awk -v fcr="$(awk -v s="$samples" -v fb="$fbytes" 'BEGIN { print 11 * s / (8 * fb) }')" -v fcpu="$fcpu" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
  END { printf "lossless --coder mix: CR vs 11 bits ecgopt=%.4f flac-8=%.4f (bit-exact failures %d) encode_cpu_s=%.2f decode_cpu_s=%.2f ratio=%.4f\n", v["cr"], fcr, v["roundtrip_failures"], v["encode_cpu_s"], v["decode_cpu_s"], v["cr"] / fcr }'

"$B/bench_codec" --mode bounded --max-error 1 "$D" $recs > "$tmp/bounded.txt"
b=$(tail -1 "$tmp/bounded.txt")
echo "ecgopt bounded e=1: $b"
bcr=$(echo "$b" | sed -n 's/.* cr=\([0-9.]*\).*/\1/p')
bme=$(echo "$b" | sed -n 's/.* maxe=\([0-9]*\).*/\1/p')
awk -v a="$bcr" -v m="$bme" 'BEGIN { printf "bounded max|error|<=1 adu: max error %d, CR ecgopt=%.4f (bar 5); lossless flac has no bounded mode\n", m, a }'

"$B/bench_codec" --mode lossless --threads "${THREADS:-2}" "$D" $recs > "$tmp/threads.txt"
t=$(tail -1 "$tmp/threads.txt")
echo "ecgopt lossless --threads ${THREADS:-2}: $t"
echo "$t" | awk -v th="${THREADS:-2}" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
  END { printf "lossless compress+decompress all records on %d threads: wall_s=%.2f (bar < 60 s; includes reading the records), cpu_s=%.2f, cr=%.4f, bit-exact failures %d\n", th, v["wall_s"], v["encode_cpu_s"] + v["decode_cpu_s"], v["cr"], v["roundtrip_failures"] }'
