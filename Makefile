# Two commands: `make run` installs and starts the wizard, `make test` installs and runs
# the tests. Both create .venv on first use (Python 3.11+ as python3).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test fuzz bench clean schema

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q wizard  # byte-code even where PYTHONDONTWRITEBYTECODE is set: a faster start
	touch $@

run: $(BIN)/.installed
	$(BIN)/partnership-wizard $(ARGS)

# in parallel: -n auto is two workers per core (tests/conftest.py says why); one worker with -n 0
test: $(BIN)/.installed
	$(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

# the fuzz tests longer than in `make test`: more random TUI sessions and events, more generated files for check
FUZZ_SESSIONS ?= 200
FUZZ_EVENTS ?= 400
FUZZ_EXAMPLES ?= 5000
fuzz: $(BIN)/.installed
	PARTNERSHIP_WIZARD_FUZZ_SESSIONS=$(FUZZ_SESSIONS) PARTNERSHIP_WIZARD_FUZZ_EVENTS=$(FUZZ_EVENTS) \
	PARTNERSHIP_WIZARD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	$(BIN)/python -m pytest -n auto tests/test_fuzz_tui.py tests/test_fuzz_check.py $(PYTEST_ARGS)

bench: $(BIN)/.installed
	$(BIN)/python -m compileall -q wizard  # as installed: a changed module is not compiled again at each start
	$(BIN)/python scripts/bench_engine.py

schema: $(BIN)/.installed
	$(BIN)/partnership-wizard schema

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
