# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= Release
# Warnings are errors in CI (CI=true) and whenever WERROR=ON is given.
WERROR ?= $(if $(CI),ON,OFF)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The MPI program (build/mpi/sqsim) and its mpirun tests; plain `cmake` leaves it off.
MPI ?= ON

FUZZ_SECONDS ?= 60

# Ninja for new build directories: it compiles a library's files without waiting for the libraries it
# links to (Make's generator orders whole targets), about 25 % off a fresh build on 2 cores. A build
# directory made earlier keeps its generator (CMake refuses a change).
# Read by make itself ($(file <)): the directory's name never reaches a shell here.
generator = $(if $(findstring CMAKE_GENERATOR:INTERNAL=Unix Makefiles,$(file <$(1)/CMakeCache.txt)),Unix Makefiles,Ninja)

.PHONY: run test build deps configure clean sanitize bench bench-mpi fuzz

deps:
	@./scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G "$(call generator,$(BUILD_DIR))" -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DSQSIM_WERROR=$(WERROR) -DSQSIM_MPI=$(MPI) $(CMAKE_EXTRA) --log-level=WARNING

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# `make run` builds only the program (not the tests), then runs the main job.
run: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target sqsim_cli
	@./$(BUILD_DIR)/cli/sqsim demo

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# ASan + UBSan build of everything, tests included.
sanitize:
	@$(MAKE) test BUILD_DIR=build-sanitize BUILD_TYPE=Debug WERROR=ON MPI=OFF CMAKE_EXTRA=-DSQSIM_SANITIZE=ON

# libFuzzer (clang): build the harnesses of fuzz/ with every library instrumented, then run each for
# FUZZ_SECONDS on its seed corpus (new inputs go to build-fuzz/corpus). A crash fails the target.
fuzz: deps
	@cmake -S . -B build-fuzz -G "$(call generator,build-fuzz)" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DSQSIM_FUZZ=ON \
	  -DSQSIM_BUILD_TESTS=OFF -DSQSIM_BUILD_BENCH=OFF -DSQSIM_WERROR=$(WERROR) \
	  "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" --log-level=WARNING
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_csv fuzz_numbers fuzz_transcript
	@for harness in csv numbers transcript; do \
	  mkdir -p build-fuzz/corpus/$$harness; \
	  echo "fuzz_$$harness: $(FUZZ_SECONDS) s"; \
	  ./build-fuzz/fuzz/fuzz_$$harness -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
	    -print_final_stats=1 -artifact_prefix=build-fuzz/ build-fuzz/corpus/$$harness fuzz/corpus/$$harness 2>&1 \
	    | grep -E "^(stat::|#[0-9]+ +DONE|==[0-9]+==|SUMMARY|INFO: Running with)" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

# Google Benchmark (bench/), then the peers in the same run: numpy Monte Carlo and closed form (bench/compare),
# and a query whose g is written in Python against the same g in C++ (bench/python_query).
bench: build
	@./$(BUILD_DIR)/bench/sqsim_bench
	@/usr/bin/python3 bench/compare --bench ./$(BUILD_DIR)/bench/sqsim_bench
	@PYTHONPATH=$(BUILD_DIR)/python /usr/bin/python3 bench/python_query

# Two MPI processes against one (bench/mpi_bench.cpp): a fresh-sample query and an adversary query at 1.19e9 members.
bench-mpi: build
	@/usr/bin/python3 bench/mpi_scaling --bench ./$(BUILD_DIR)/bench/sqsim_mpi_bench

clean:
	rm -rf $(BUILD_DIR) build-sanitize build-fuzz
