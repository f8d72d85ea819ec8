# Two commands matter: `make serve` (build and preview the site) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
AS_OF ?=
AS_OF_ARG := $(if $(AS_OF),--as-of $(AS_OF))

.PHONY: serve site test validate status bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $@

## Build the site from registry/ and preview it at http://127.0.0.1:8000/registry/ (reloads on edits;
## --dirty: an edit rebuilds the pages it changed, not the whole site).
serve: $(VENV)/.installed
	$(PY) -m generator build $(AS_OF_ARG)
	$(VENV)/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

## Build the static site into site/ (strict: any warning fails).
site: $(VENV)/.installed
	$(PY) -m generator build --site $(AS_OF_ARG)

## Run every test, browser tests included (installs Debian's chromium when missing and root).
test: $(VENV)/.installed
	@[ -n "$$CHROMIUM_PATH" ] || sh .ci/install-chromium
	$(PY) -m pytest

validate: $(VENV)/.installed
	$(PY) -m generator validate

status: $(VENV)/.installed
	$(PY) -m generator status $(AS_OF_ARG)

clean:
	rm -rf site .site.tmp .site.tmp-* .site.old-* .pytest_cache

bench: $(VENV)/.installed
	$(PY) -m bench.run
