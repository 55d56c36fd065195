# The two commands of the README: `make demo` and `make test`. Everything else is a helper.
SWIFT ?= swift
RELEASE_BIN := .build/release

.PHONY: bootstrap build demo test bench-matmul clean

bootstrap:
	bash scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -c release --product opensora

demo: build
	$(RELEASE_BIN)/opensora --help
	$(RELEASE_BIN)/opensora info
	$(RELEASE_BIN)/opensora generate "a red circle moving left on a black background" --save-dir samples

test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

bench-matmul: bootstrap
	bash Benchmarks/matmul.sh

clean:
	rm -rf .build
