# portstorm — the two commands of the README:
#   make demo   install dependencies, build (release), run the demo on the embedded store
#   make test   install dependencies, build (debug + ASan/UBSan), run every test and a short fuzz pass
.PHONY: all deps release dev demo test check fuzz bench clean

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20

all: release

deps:
	bash scripts/install-deps.sh

release: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

dev: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)

demo: release
	bash scripts/demo.sh build/release/src/cli/portstorm

# ctest runs unit, golden, crash and conformance tests; then each fuzzer briefly.
test: dev
	cd build/dev && ctest --output-on-failure -j $(JOBS)
	bash scripts/run-fuzzers.sh $(FUZZ_SECONDS)
	@# Reached only when every test and fuzzer passed (make stops at the first failure).
	@echo "tests: $$(cd build/dev && ctest -N | sed -n 's/^Total Tests: //p') passed, 0 failed"

check: test

bench: release
	bash bench/run.sh build/release

clean:
	rm -rf build
