# The two commands a new user needs: `make run` and `make test`.
# Each does its whole setup from a fresh clone (virtualenv, dependencies, model).
# While working: `make check` (lint and the in-process tests, under a minute); before pushing: `make test`.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BOT := $(PY) -m bot
INSTALLED := $(VENV)/.installed
# The desk, the web page and the jobs: a supported Python (3.12 or 3.11), nothing of Rasa (README, "Runtimes").
DESK_VENV := .venv-desk
DESK_PY := $(DESK_VENV)/bin/python
DESK_BOT := $(DESK_PY) -m bot
DESK_INSTALLED := $(DESK_VENV)/.installed
FIND_DESK_PYTHON := sh scripts/find-python.sh 3.12 3.11
MODEL := models/current.tar.gz
RASA_DATA := --domain bot/domain --data data/nlu data/stories data/rules
# Our NLU components' code too (bot/nlu/): Rasa's cache then retrains only what it changed.
TRAINING_INPUTS := bot/config.yml $(wildcard bot/nlu/*.py) $(shell find bot/domain data/nlu data/topics data/stories data/rules -name '*.yml' 2>/dev/null)

export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONUNBUFFERED := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: setup setup-desk train validate run shell test check check-durations lint format pytest story-test clean browser-deps eval bench deploy-check

## setup: create .venv with Python 3.10 (Rasa, actions, tests) and .venv-desk with Python 3.12 or
## 3.11 (desk, web page, jobs), each with its dependencies installed in one pip pass.
setup: $(INSTALLED) $(DESK_INSTALLED)
setup-desk: $(DESK_INSTALLED)

$(INSTALLED): requirements.txt requirements-dev.txt requirements.lock
	@if [ ! -x $(PY) ]; then \
	  python=$$(sh scripts/find-python.sh) || exit 1; \
	  echo "Creating $(VENV) with $$python"; \
	  "$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --disable-pip-version-check -q \
	  -r requirements.txt -r requirements-dev.txt -c requirements.lock
	$(PY) -m pip check
	@touch $@

# No Python 3.12/3.11 on this machine: .venv-desk is made with Python 3.10 (end of life) and the
# versions of requirements.lock, with a warning; it still holds nothing of Rasa.
$(DESK_INSTALLED): requirements-desk.txt requirements-desk.lock requirements.lock
	@if [ ! -x $(DESK_PY) ]; then \
	  python=$$($(FIND_DESK_PYTHON)) || { \
	    python=$$(sh scripts/find-python.sh 3.10) || exit 1; \
	    echo "WARNING: no Python 3.12 or 3.11: $(DESK_VENV) (desk, web page, jobs) uses $$python, which gets no security fixes; install python3.12 and run 'rm -rf $(DESK_VENV)'."; \
	  }; \
	  echo "Creating $(DESK_VENV) with $$python"; \
	  "$$python" -m venv $(DESK_VENV); \
	fi
	@lock=requirements-desk.lock; \
	if $(DESK_PY) -c 'import sys; sys.exit(sys.version_info >= (3, 11))'; then lock=requirements.lock; fi; \
	echo "$(DESK_PY) -m pip install -r requirements-desk.txt -c $$lock"; \
	$(DESK_PY) -m pip install --disable-pip-version-check -q -r requirements-desk.txt -c $$lock
	$(DESK_PY) -m pip check
	@touch $@

## train: train the model, only when the data or the configuration changed.
train: $(MODEL)

$(MODEL): $(TRAINING_INPUTS) | $(INSTALLED)
	$(BOT) augment
	$(BOT) rasa train --config bot/config.yml $(RASA_DATA) --out models --fixed-model-name current
	@touch $@

## validate: check the training data and the domain for mistakes.
validate: $(INSTALLED)
	$(BOT) rasa data validate --config bot/config.yml $(RASA_DATA)

## run: start every process of the product (Ctrl-C stops them all).
run: $(MODEL) $(DESK_INSTALLED)
	@$(DESK_BOT) local-secrets
	$(DESK_BOT) db upgrade
	$(DESK_BOT) places load
	@$(DESK_BOT) info
	$(VENV)/bin/honcho start -f Procfile

## shell: chat with the assistant in the terminal.
shell: $(MODEL)
	@mkdir -p var
	@$(BOT) serve actions > var/actions-shell.log 2>&1 & pid=$$!; \
	trap "kill $$pid 2>/dev/null" EXIT; \
	$(BOT) rasa shell --model $(MODEL) --endpoints bot/endpoints.yml

## test: lint, validate the data, train, run every pytest test and Rasa's story tests.
test: lint validate $(MODEL) $(DESK_INSTALLED) browser-deps
	$(PY) -m pytest
	$(BOT) rasa test core --model $(MODEL) --stories tests/stories \
	  --endpoints bot/endpoints.yml --out results/stories --fail-on-prediction-errors

## check: what to run while working, in under a minute: the lint, then the in-process tests (no live
## server, no browser, no trained model, no child process: the markers of pytest.ini) in CHECK_JOBS shares side
## by side (--shard, tests/support/shards.py: whole files, dealt by tests/durations.json); each share's output
## is in var/check-N.log. `make test` runs them all.
CHECK_TIER := not live and not browser and not postgres and not model and not processes
CHECK_JOBS ?= 2
# The tests' databases in memory when the machine has /dev/shm: SQLite's disk syncs cost more than the tests.
CHECK_TMP ?= $(shell if [ -d /dev/shm ] && [ -w /dev/shm ]; then echo /dev/shm; else echo var; fi)
# Compiled modules kept between runs, in var/pycache (pytest's rewritten tests too), even where the
# environment says PYTHONDONTWRITEBYTECODE: compiling the tests and bot/ again costs 8 s a share.
CHECK_ENV := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache
check: lint $(DESK_INSTALLED)
	@mkdir -p var; tmp=$$(mktemp -d $(CHECK_TMP)/aidenum-check.XXXXXX); pids=; \
	for i in $$(seq 1 $(CHECK_JOBS)); do \
	  TMPDIR=$$tmp $(CHECK_ENV) $(PY) -m pytest -q -p no:cacheprovider -m "$(CHECK_TIER)" --shard $$i/$(CHECK_JOBS) \
	    --basetemp $$tmp/$$i > var/check-$$i.log 2>&1 & pids="$$pids $$!"; \
	done; \
	status=0; i=0; for pid in $$pids; do \
	  i=$$((i + 1)); if wait $$pid; then tail -n 1 var/check-$$i.log; else status=1; cat var/check-$$i.log; fi; \
	done; rm -rf $$tmp; exit $$status

## check-durations: time each test file of `make check` in one process, into tests/durations.json,
## which deals the files to the shares (commit it when files were added or grew).
check-durations: $(DESK_INSTALLED)
	@mkdir -p var; tmp=$$(mktemp -d $(CHECK_TMP)/aidenum-check.XXXXXX); \
	TMPDIR=$$tmp $(CHECK_ENV) $(PY) -m pytest -q -p no:cacheprovider -m "$(CHECK_TIER)" \
	  --record-durations tests/durations.json --basetemp $$tmp/1; status=$$?; rm -rf $$tmp; exit $$status

## lint: ruff's lint and its formatter's check (ruff.toml).
lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## format: let ruff sort the imports, fix what it can and format every file.
format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## eval: NLU figures on the blind and the old held-out sets (tests/nlu/) and their noisy copies.
eval: $(MODEL)
	$(BOT) eval --model $(MODEL)

## bench: speed and size figures (NLU, turn latency, throughput, RSS, cold start, training, SMS
## segments) printed as a table; not part of `make test`. Needs PostgreSQL and Redis (as tests do).
bench: $(MODEL)
	$(PY) scripts/bench.py --model $(MODEL)

## deploy-check: build the images of deploy/Dockerfile and run the whole product from them on
## this host (Docker; PostgreSQL and Redis on 127.0.0.1), behind the TLS proxy; validate the
## Kubernetes manifests and the compose file offline. Takes 15+ minutes the first time.
## What it proves and what it cannot: deploy/OPERATIONS.md.
deploy-check:
	bash deploy/check.sh

## browser-deps: what the web widget's browser tests need: axe-core (npm, pinned in
## tests/browser/package-lock.json) and Debian's chromium (Playwright drives it; no browser download).
AXE := tests/browser/node_modules/axe-core/axe.min.js
browser-deps: $(AXE)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; \
	  else echo "The widget tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'."; exit 1; fi; \
	fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { echo "The widget tests need npm (Node.js) to install axe-core: run 'sudo apt-get install npm'."; exit 1; }
	npm ci --prefix tests/browser --no-audit --no-fund
	@touch $@

clean:
	rm -rf results .rasa models/*.tar.gz var
