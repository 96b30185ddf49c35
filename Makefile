# Cairn: `make run` to try it, `make test` to check it. Everything else is set up on demand.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
export CAIRN_DATA_DIR ?= $(CURDIR)/var
# On a laptop, emails (password resets, digests) are printed by the worker unless SMTP is set.
export CAIRN_EMAIL_URL ?= console://
export CAIRN_SITE_URL ?= http://$(HOST):$(PORT)
# Listening on every interface (HOST=0.0.0.0) means being reached by other names too.
export CAIRN_ALLOWED_HOSTS ?= $(if $(filter 0.0.0.0 ::,$(HOST)),*,)
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format check clean bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/cairn migrate --noinput
	$(BIN)/cairn demo --if-empty
	$(BIN)/cairn serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/cairn bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache
