# Convenience front end to CMake.  The two commands of the README:
#   make demo   install dependencies, build, run the whole pipeline on the data found
#   make check  install dependencies, build with ASan+UBSan, run every test
JOBS ?= $(shell nproc)
BUILD ?= build
CHECK_BUILD ?= build-check

.PHONY: all deps build demo check test bench fuzz clean

all: build

deps:
	./scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target ecgopt
	./$(BUILD)/ecgopt demo

check: deps
	cmake -S . -B $(CHECK_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DECGOPT_SANITIZE=ON -DECGOPT_MPI=ON -DECGOPT_BENCH=OFF >/dev/null
	cmake --build $(CHECK_BUILD) -j $(JOBS)
	cd $(CHECK_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)
	./scripts/fuzz-smoke.sh

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	./bench/run all

fuzz:
	./scripts/fuzz-smoke.sh

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) build-fuzz
