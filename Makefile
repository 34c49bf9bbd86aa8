# Gloss: the two commands a new machine needs (Debian/Ubuntu with Swift 6).
#   make site   build the example archive into public/
#   make test   run the test suite
#   make verify check the built example archive with outside tools (scripts/verify.sh)
# Each installs the C libraries first if they are missing.

SWIFT ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm libjemalloc-dev pkg-config libcurl4-openssl-dev
# Release binaries carry the Swift runtime and Foundation inside them: `gloss`
# then starts in about a third of the time (no shared libraries to bind).
# gloss-serve links libcurl through FoundationNetworking, hence libcurl4-openssl-dev.
# Both link jemalloc in place of glibc's malloc (see Package.swift), hence libjemalloc-dev.
RELEASE := $(SWIFT) build -c release --static-swift-stdlib

.PHONY: site test deps differential bench clean

site: deps
	$(RELEASE)
	$$($(SWIFT) build -c release --show-bin-path)/gloss build

test: deps
	$(SWIFT) test

# cmark-gfm's library and headers (for the module map) and its CLI (for the
# differential tests); jemalloc for the executables. Uses sudo only when not already root.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Every GFM spec example through `gloss render` and the cmark-gfm CLI.
differential: deps
	$(SWIFT) build --product gloss
	python3 scripts/differential-render.py

# Builds the example archive and checks it with gloss check, the W3C Nu HTML checker,
# linkchecker, axe-core in headless chromium and the feed/sitemap validators; installs
# what is missing (apt, and pip into .build/verify-venv).
.PHONY: verify
verify: deps
	bash scripts/verify.sh

# Gloss against raw cmark-gfm and Hugo on generated corpora (1,000 and 10,000
# articles); writes bench-results.md. BENCH_ARGS="--sizes 100000" for more.
bench: deps
	$(RELEASE)
	python3 scripts/bench.py --gloss $$($(SWIFT) build -c release --show-bin-path)/gloss $(BENCH_ARGS)

clean:
	rm -rf .build public
