#!/bin/sh
# MPI evaluation of a study: 3 ranks on localhost (rank 0 drives the study,
# ranks 1-2 evaluate) must give exactly the trials of a single-process run
# with the same seed.  Run by ctest only when built with -DECGOPT_MPI=ON:
#   tests/study/mpi_test.sh path/to/ecgopt
set -eu
BIN=${1:-${ECGOPT_BIN:-}}
[ -x "$BIN" ] || { echo "usage: mpi_test.sh ECGOPT_BIN"; exit 1; }
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
cd "$D"
mpirun --allow-run-as-root --oversubscribe -np 3 "$BIN" tune --preset toy --mpi \
    --study mpi.db --optimizer gwo --pop 9 --iters 6 --seed 5 --quiet > mpi.out
"$BIN" tune --preset toy --study ref.db --optimizer gwo --pop 9 --iters 6 --seed 5 \
    --workers 1 --quiet > ref.out
"$BIN" study show mpi.db --json > mpi.json
"$BIN" study show ref.db --json > ref.json
fails=0
for key in '"trials":[0-9]*' '"best":[^,]*' '"convergence":\[[^]]*\]'; do
    a=$(grep -o "$key" mpi.json | head -1)
    b=$(grep -o "$key" ref.json | head -1)
    if [ -z "$a" ] || [ "$a" != "$b" ]; then
        echo "FAIL mpi vs single process: $a != $b"
        fails=$((fails + 1))
    else
        echo "ok   $a"
    fi
done
grep -q '"trials":54' mpi.json || { echo "FAIL expected 54 trials"; fails=$((fails + 1)); }
# the evaluations really ran on ranks 1 and 2 (each trial logs its rank)
cat > space.txt <<SPACE
int a 0 9
command echo "\${OMPI_COMM_WORLD_RANK:-x}" >> $D/ranks.log; echo {a}
optimizer random
pop 6
iters 2
SPACE
mpirun --allow-run-as-root --oversubscribe -np 3 "$BIN" tune --space space.txt --mpi \
    --study ranks.db --quiet > ranks.out
if grep -q '^1$' ranks.log && grep -q '^2$' ranks.log && ! grep -q '^0$' ranks.log; then
    echo "ok   evaluations on ranks: $(sort ranks.log | uniq -c | tr '\n' ' ')"
else
    echo "FAIL ranks that evaluated: $(sort ranks.log | uniq -c | tr '\n' ' ')"
    fails=$((fails + 1))
fi
echo "$((5 - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
