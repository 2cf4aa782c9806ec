# Every target installs what it needs first, so `make run` and `make test` work on a fresh clone.
.PHONY: all build test run bench tools clean

STAMP_DEPS := node_modules/.installed
BUILD := dist/.built
SOURCES := $(shell find . -name '*.ts' -not -path './node_modules/*' -not -path './dist/*' -not -path './test/*') package.json tsconfig.json

all: build

# onnxruntime-node (the ONNX tests' float reference) would download optional GPU files in its
# postinstall from a host these machines cannot reach; its CPU binding ships inside the package.
$(STAMP_DEPS): package.json package-lock.json
	ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
	touch $@

$(BUILD): $(STAMP_DEPS) $(SOURCES)
	npm run build
	touch $@

build: $(BUILD)

# Verilator, Icarus Verilog and Chromium come from Debian's packages (installed when missing, as root).
tools:
	bash scripts/ensure-tools.sh

test: build tools
	npm test

# The main job on its built-in default: the accumulator-width sweep, report in out/sweep-default/
# (--force: a rerun starts over instead of refusing the directory of the earlier run).
run: build
	./bin/lbamac sweep --force

bench: build
	node dist/bench/run.js

clean:
	rm -rf dist out
