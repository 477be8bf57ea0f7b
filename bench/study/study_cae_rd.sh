#!/usr/bin/env bash
# compress-cae-rd study (docs/study.md): a short GA / PSO / GWO run (population
# POP, ITERS iterations, 2 workers, winners retrained and tested on DS2), its
# wall time, the mean time of an evaluated trial, and from those an ESTIMATE of
# the preset's full study (GWO/GA/PSO at the preset's 8 x 6, no cache hits
# assumed) against the issue-19 bar of 60 minutes: ratio=<estimate/3600 s>.
# Usage: bench/run study_cae_rd [POP ITERS]   (defaults 4 2; a few minutes)
set -euo pipefail
B="${ECGOPT_BUILD:-$PWD/build}"
D="${ECGOPT_SHARED:-$(cd .. && pwd)/shared}/data"
POP="${1:-4}" ITERS="${2:-2}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
t0=$(date +%s.%N)
nice -n 10 "$B/ecgopt" tune --preset compress-cae-rd --optimizer ga,pso,gwo --pop "$POP" --iters "$ITERS" \
  --workers 2 --study "$T/rd.db" --model "$T/rd" --data "$D" --json --quiet > "$T/out.jsonl"
t1=$(date +%s.%N)
python3 - "$T/out.jsonl" "$t0" "$t1" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
trials = [e for e in ev if e.get("event") == "trial"]
done = [e for e in trials if not e.get("cached")]
wall = float(sys.argv[3]) - float(sys.argv[2])
per = sum(e["wall_s"] for e in done) / max(1, len(done))
for e in ev:
    if e.get("event") == "run":
        print("run %s best=%.4f %s DS2: test_cr=%.2f test_prdn=%.2f test_bps=%.4f" % (
            e["optimizer"], e["best"], e.get("info", ""), e.get("test_cr", float("nan")),
            e.get("test_prdn", float("nan")), e.get("test_bps", float("nan"))))
full = 3 * 8 * 6 * per / 2 + 3 * 60  # 2 workers; about 1 min per winner's retraining and test
print("short run: trials=%d evaluated=%d wall_s=%.1f per_trial_s=%.2f" % (len(trials), len(done), wall, per))
print("full preset (3 x 8 x 6 trials on 2 workers, ESTIMATE): %.0f s ratio=%.3f (bar 3600 s)" % (full, full / 3600))
PY
