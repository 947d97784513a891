# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-pure lint bench smoke clean

# The venv is rebuilt only when the project's declared dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py $(ARGS)

smoke: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python main.py --smoke

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The tests not marked gui, with PySide6 made unimportable and pytest-qt left out: proves that
# `pytest -m "not gui"` needs no Qt (tests/conftest.py marks and skips the Qt tests).
test-pure: $(STAMP)
	blocked=$$(mktemp -d) && mkdir $$blocked/PySide6 && \
	echo 'raise ImportError("PySide6 is blocked: a test not marked gui imports it")' \
		> $$blocked/PySide6/__init__.py && \
	PYTHONPATH=$$blocked $(BIN)/python -m pytest -q -m "not gui" -p no:pytest-qt \
		-o required_plugins= -o addopts="--strict-markers -ra --import-mode=importlib" \
		-W ignore::pytest.PytestConfigWarning

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
