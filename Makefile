# The two commands a new user needs: `make run` and `make test`.
# Each does its whole setup from a fresh clone (virtualenv, dependencies, model).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BOT := $(PY) -m bot
INSTALLED := $(VENV)/.installed
MODEL := models/current.tar.gz
RASA_DATA := --domain bot/domain --data data/nlu data/stories data/rules
TRAINING_INPUTS := bot/config.yml $(shell find bot/domain data/nlu data/stories data/rules -name '*.yml' 2>/dev/null)

export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONUNBUFFERED := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: setup train validate run shell test pytest story-test clean

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
test: validate $(MODEL)
	$(PY) -m pytest
	$(BOT) rasa test core --model $(MODEL) --stories tests/stories \
	  --endpoints bot/endpoints.yml --out results/stories --fail-on-prediction-errors

clean:
	rm -rf results .rasa models/*.tar.gz var
