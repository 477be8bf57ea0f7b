#!/bin/sh
# Run the Python package's pytest suite against one libecgopt.so (ctest's
# python_tests; also by hand: python/tests/run_pytest.sh build/libecgopt.so).
#   usage: run_pytest.sh LIBECGOPT [pytest arguments]
# A library built with -fsanitize=address (make check) cannot be loaded into
# an uninstrumented python unless the ASan runtime comes first: the runtime
# the library links is preloaded, with leak detection off (the interpreter's
# own allocations at exit are not ecgopt's; the C tests check ecgopt's).
# Exit 77 (ctest: skipped) when no python3 with NumPy and pytest is found.
set -eu
lib=$1
shift
case $lib in /*) ;; *) lib=$PWD/$lib ;; esac
here=$(cd "$(dirname "$0")" && pwd)
py=
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c "import numpy, pytest" 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "skipped: no python3 with numpy and pytest (scripts/install-deps.sh installs them)"
    exit 77
fi
asan=$(ldd "$lib" 2>/dev/null | awk '/libasan/ {print $3; exit}')
if [ -n "$asan" ]; then
    LD_PRELOAD="$asan${LD_PRELOAD:+:$LD_PRELOAD}"
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    export LD_PRELOAD ASAN_OPTIONS
fi
ECGOPT_LIB=$lib
MPLBACKEND=Agg
export ECGOPT_LIB MPLBACKEND
exec "$py" -m pytest -q -p no:cacheprovider "$here" "$@"
