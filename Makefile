# The two commands of the README: `make demo` and `make test`. Everything else is a helper.
SWIFT ?= swift
RELEASE_BIN := .build/release

.PHONY: bootstrap build demo test fuzz bench-matmul default-model clean

# Parser fuzzing (scripts/fuzz.sh, libFuzzer): `make fuzz` runs each target FUZZ_SECONDS;
# `make test` runs FUZZ_TEST_RUNS executions per target (skipped where the toolchain has no libFuzzer).
FUZZ_SECONDS ?= 60
FUZZ_TEST_RUNS ?= 5000
FUZZ_TARGETS ?=

bootstrap:
	bash scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -c release --product opensora

# The embedded default model (docs/default-model.md) at its own size, length and fps: four prompts, two of them
# combinations it never saw in training.
DEMO_PROMPTS := "a red circle moving left" "a blue triangle moving up" "a yellow square moving right" "a white circle moving down"

demo: build
	$(RELEASE_BIN)/opensora --help
	$(RELEASE_BIN)/opensora info
	$(RELEASE_BIN)/opensora generate $(DEMO_PROMPTS) --batch-size 4 --save-dir samples
	@echo "demo videos are in $(CURDIR)/samples/ (sample_0000.mp4 … sample_0003.mp4, each with its .json settings)"

# Rebuilds the default model end to end from the committed recipe (recipes/default-model/); resumable.
default-model: build
	bash scripts/default-model.sh

# The bounded fuzz run goes before the tests, so the test runner's summary closes the output.
test: bootstrap
	$(SWIFT) build --build-tests
	FUZZ_RUNS=$(FUZZ_TEST_RUNS) FUZZ_OPTIONAL=1 bash scripts/fuzz.sh $(FUZZ_TARGETS)
	$(SWIFT) test --skip-build --disable-swift-testing

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh $(FUZZ_TARGETS)

bench-matmul: bootstrap
	bash Benchmarks/matmul.sh

clean:
	rm -rf .build .build-fuzz
