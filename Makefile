# The two commands a new user needs: `make run` (a protected demo app on localhost) and
# `make test` (the whole test suite). Everything else is a building block of those two.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
ASAN_DIR := build/asan
WAF := $(RELEASE_DIR)/waf
PYTEST := python3 -m pytest

FUZZ_SECONDS ?= 10

.PHONY: all deps build build-asan run test test-unit test-integration test-fuzz test-e2e bench image image-arm64 clean

all: build

deps:
	@scripts/deps.sh all

$(RELEASE_DIR)/build.ninja:
	@scripts/deps.sh build
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DWAF_WERROR=ON

$(ASAN_DIR)/build.ninja:
	@scripts/deps.sh test
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWAF_WERROR=ON -DWAF_SANITIZE=ON \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++

# The static release binary: what ships in the image.
build: $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)

# Unit tests and the integration tests run on this one, under ASan and UBSan.
build-asan: $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

run: build
	@scripts/run-demo.sh $(WAF)

test: build build-asan
	@scripts/deps.sh test
	$(MAKE) --no-print-directory test-unit test-integration test-fuzz test-e2e

test-unit:
	ctest --test-dir $(ASAN_DIR) -L unit --output-on-failure

# WAF_BIN: the binary under test (sanitized); WAF_STATIC_BIN: the shipped static one.
test-integration:
	WAF_BIN=$(abspath $(ASAN_DIR)/waf) WAF_STATIC_BIN=$(abspath $(WAF)) $(PYTEST) -q test/integration test/corpus

# libFuzzer on every parser and decoder and on the whole engine, FUZZ_SECONDS each.
test-fuzz:
	test/fuzz/run_fuzz_smoke.sh $(FUZZ_SECONDS)

# The console runs in Debian's headless Chromium (playwright-core from npm, installed by deps.sh).
# The Kubernetes tools are built once from the Go module proxy and cached outside the repo
# (~/.cache/waf-k8s-tools, keyed by version): the first run takes a while, later ones nothing.
test-e2e:
	scripts/k8s-tools.sh >/dev/null
	WAF_BIN=$(abspath $(WAF)) $(PYTEST) -q test/e2e
	WAF_BIN=$(abspath $(WAF)) $(PYTEST) -q test/console

# Benchmarks, not tests: numbers for the README, each measured against a peer in the same run.
bench: build
	@scripts/deps.sh bench
	cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DWAF_TESTS=OFF -DWAF_BENCH=ON
	cmake --build build/bench -j $(JOBS) --target waf_engine_bench
	build/bench/bench/engine/waf_engine_bench
	bench/proxy_bench.sh $(WAF)
	bench/inspection_bench.sh $(WAF)
	python3 bench/admission_bench.py $(WAF) 10
	python3 bench/postanalytics_bench.py $(WAF)
	bench/report_bench.sh $(WAF)
	python3 bench/console_bench.py $(WAF)

# The FROM scratch image (amd64), and the arm64 cross build with its image and a manifest list.
image: build
	scripts/build-image.sh $(WAF) localhost/waf:dev amd64

image-arm64: build
	JOBS=$(JOBS) scripts/cross-arm64.sh $(WAF) localhost/waf-multiarch:dev

clean:
	rm -rf build
