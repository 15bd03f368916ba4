# The two commands of the quick start are `make run` and `make test`; both
# install what is missing (apt-get) and build first.
BUILD_DIR ?= build
DB ?= var/kefu.db
JOBS ?= $(shell nproc)
# Quieter output from the make that cmake --build runs underneath.
MAKEFLAGS += --no-print-directory

.PHONY: all deps configure build run test bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@mkdir -p $(dir $(DB))
	$(BUILD_DIR)/kefud demo --db $(DB)
	$(BUILD_DIR)/kefud serve --db $(DB)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The performance bench (bench/run.sh; knobs such as SESSIONS, RUNS, GROWTH in
# the environment). Minutes to tens of minutes; never part of make test.
bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD_DIR)
