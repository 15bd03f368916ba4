# The two commands of the quick start are `make run` and `make test`; both
# install what is missing (apt-get) and build first.
BUILD_DIR ?= build
SAN_BUILD_DIR ?= build-asan
FUZZ_BUILD_DIR ?= build-fuzz
# make fuzz: seconds per target.
FUZZ_SECONDS ?= 300
DB ?= var/kefu.db
JOBS ?= $(shell nproc)
# Quieter output from the make that cmake --build runs underneath.
MAKEFLAGS += --no-print-directory

.PHONY: all deps configure build unit run test test-release test-tls test-sanitized test-fuzz fuzz-build fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The unit tests alone (kefu_unit_tests: domain services against the
# in-memory stores, parsers, rules): seconds, once built.
unit: configure
	@cmake --build $(BUILD_DIR) --target kefu_unit_tests -j $(JOBS)
	$(BUILD_DIR)/kefu_unit_tests

run: build
	@mkdir -p $(dir $(DB))
	$(BUILD_DIR)/kefud demo --db $(DB)
	$(BUILD_DIR)/kefud serve --db $(DB)

# The whole suite on the Release build, the black-box suite again over TLS,
# again under AddressSanitizer and UndefinedBehaviorSanitizer, then a short
# pass of every fuzz target.
test: test-release test-tls test-sanitized test-fuzz

test-release: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The black-box suite on SQLite with every kefud serving HTTPS and every
# client speaking TLS (tests/blackbox/tls_support.h); raw-TCP tests skip.
test-tls: build
	cd $(BUILD_DIR) && KEFU_TEST_TLS=1 ctest --output-on-failure -j $(JOBS) -R '^blackbox\.'

test-sanitized: deps
	JOBS=$(JOBS) scripts/test-sanitized.sh $(SAN_BUILD_DIR)

fuzz-build: deps
	@cmake -S . -B $(FUZZ_BUILD_DIR) -DKEFU_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
	@cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)

# Each target over its seed corpus and regressions, then 10 s of fuzzing.
test-fuzz: fuzz-build
	cd $(FUZZ_BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The long run: FUZZ_SECONDS per target (fuzz/README.md).
fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

# The performance bench (bench/run.sh; knobs such as SESSIONS, RUNS, GROWTH in
# the environment). Minutes to tens of minutes; never part of make test.
bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD_DIR) $(SAN_BUILD_DIR) $(FUZZ_BUILD_DIR)
