# The two commands a new user needs: `make run` and `make test`.
# Each does its whole setup from a fresh clone (virtualenv, dependencies, model).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BOT := $(PY) -m bot
INSTALLED := $(VENV)/.installed
MODEL := models/current.tar.gz
RASA_DATA := --domain bot/domain --data data/nlu data/stories data/rules
# Our NLU components' code too (bot/nlu/): Rasa's cache then retrains only what it changed.
TRAINING_INPUTS := bot/config.yml $(wildcard bot/nlu/*.py) $(shell find bot/domain data/nlu data/stories data/rules -name '*.yml' 2>/dev/null)

export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONUNBUFFERED := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: setup train validate run shell test pytest story-test clean browser-deps eval bench deploy-check

## setup: create .venv with Python 3.10 and install every dependency in one pip pass.
setup: $(INSTALLED)

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
run: $(MODEL)
	$(BOT) db upgrade
	$(BOT) places load
	@$(BOT) info
	$(VENV)/bin/honcho start -f Procfile

## shell: chat with the assistant in the terminal.
shell: $(MODEL)
	@mkdir -p var
	@$(BOT) serve actions > var/actions-shell.log 2>&1 & pid=$$!; \
	trap "kill $$pid 2>/dev/null" EXIT; \
	$(BOT) rasa shell --model $(MODEL) --endpoints bot/endpoints.yml

## test: validate the data, train, run pytest and Rasa's story tests.
test: validate $(MODEL) browser-deps
	$(PY) -m pytest
	$(BOT) rasa test core --model $(MODEL) --stories tests/stories \
	  --endpoints bot/endpoints.yml --out results/stories --fail-on-prediction-errors

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
