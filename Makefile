# The two commands of the README: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
# Warnings are errors in CI (CI=true) and whenever WERROR=ON is given.
WERROR ?= $(if $(CI),ON,OFF)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test build deps configure clean sanitize bench

deps:
	@./scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DSQSIM_WERROR=$(WERROR) $(CMAKE_EXTRA) --log-level=WARNING

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
	@$(MAKE) test BUILD_DIR=build-sanitize BUILD_TYPE=Debug WERROR=ON CMAKE_EXTRA=-DSQSIM_SANITIZE=ON

bench: build
	@./$(BUILD_DIR)/bench/sqsim_bench

clean:
	rm -rf $(BUILD_DIR) build-sanitize
