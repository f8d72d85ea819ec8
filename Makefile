# Two commands matter: `make serve` (build and preview the site) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --disable-pip-version-check --quiet
AS_OF ?=
AS_OF_ARG := $(if $(AS_OF),--as-of $(AS_OF))

.PHONY: serve site test validate status bench clean

# The runtime set (requirements.txt) and the project itself, editable: its MkDocs plugin
# and the `tic-registry` command.
$(VENV)/.runtime: requirements.txt pyproject.toml
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	touch $@

# Tests and lint on top of it (requirements-dev.txt).
$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

## Build the site from registry/ and preview it at http://127.0.0.1:8000/registry/ (reloads on edits;
## --dirty: an edit rebuilds the pages it changed, not the whole site).
serve: $(VENV)/.runtime
	$(if $(AS_OF),TIC_AS_OF=$(AS_OF)) $(VENV)/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

## Build the static site into site/ (strict: any warning fails).
site: $(VENV)/.runtime
	$(PY) -m generator build --site $(AS_OF_ARG)

## Run every test, browser tests included (installs Debian's chromium when missing and root,
## unless CHROMIUM_PATH names a browser).
test: $(VENV)/.dev
	@[ -n "$$CHROMIUM_PATH" ] || sh .ci/install-chromium
	$(PY) -m pytest

validate: $(VENV)/.runtime
	$(PY) -m generator validate

status: $(VENV)/.runtime
	$(PY) -m generator status $(AS_OF_ARG)

clean:
	rm -rf site .site.tmp .site.tmp-* .site.old-* .pytest_cache

# Lighthouse for the benchmark (package.json / package-lock.json pin it; nothing of it ships with the site).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

## Scale benchmark, Lighthouse included (`python -m bench.run --no-lighthouse` skips it).
bench: $(VENV)/.dev node_modules/.package-lock.json
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) -m bench.run --write-doc
