#!/usr/bin/env bash
# eo_resample vs libsoxr (HQ, VHQ), libsamplerate (SINC_BEST) and
# scipy.signal.resample_poly: accuracy on band-limited tones (dB below the
# signal) and time for 30 min of signal, same run.  Prints per rate pair and
# library a line ending in ratio=<ecgopt ms / peer ms>.
set -euo pipefail
B="${ECGOPT_BUILD:-$(dirname "$0")/../../build}"
REPS="${REPS:-5}"
ours=$("$B/bench_resample" --reps "$REPS")
peer=$(/usr/bin/python3 "$(dirname "$0")/resample_peer.py" --reps "$REPS")
all=$(printf '%s\n%s\n' "$ours" "$peer")
echo "$all"
echo "$all" | awk '
  /^RESULT/ { lib = $2; pair = $3; sub(":", "", pair);
              split($4, a, "="); split($5, b, "="); ms[lib, pair] = a[2]; db[lib, pair] = b[2];
              if (!(pair in seen)) { seen[pair] = 1; order[++np] = pair }
              if (!(lib in lseen)) { lseen[lib] = 1; libs[++nl] = lib } }
  END { for (i = 1; i <= np; i++) for (j = 1; j <= nl; j++) {
          p = order[i]; l = libs[j]; if (l == "ecgopt" || !((l, p) in ms)) continue;
          printf "resample %-8s vs %-15s ecgopt_ms=%.2f peer_ms=%.2f ecgopt_err_db=%.1f peer_err_db=%.1f ratio=%.3f\n",
                 p, l, ms["ecgopt", p], ms[l, p], db["ecgopt", p], db[l, p], ms["ecgopt", p] / ms[l, p] } }'
