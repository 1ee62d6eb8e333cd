# `make run` and `make test` work on a fresh Debian machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install clean messages

$(VENV)/installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/installed

run: install
	$(PY) run.py --port $(PORT)

test: install
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var

# After marking or changing a string: each language's .po brought up to the sources (new
# strings appear with an empty msgstr to translate; see "How to add a string").
messages: install
	$(PY) -m consult.catalogue
