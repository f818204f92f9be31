# Two commands do all the set-up on a fresh machine (Python 3.11+ and make):
#   make daily   create .venv, install, run the daily job (crawl, score, propose candidates)
#   make test    create .venv, install with test extras, run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
STAMP  := $(VENV)/.installed

ARXIV_DATA ?= ../shared/arxiv

.PHONY: daily test merge lint demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

daily: $(STAMP)
	$(VENV)/bin/opdlist daily

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

merge: $(STAMP)
	$(VENV)/bin/opdlist merge

lint: $(STAMP)
	$(VENV)/bin/opdlist lint

# the daily loop offline: a fake arXiv on the captured data, three listing days (one missed),
# in a throw-away copy of the list (demo/)
demo: $(STAMP)
	$(VENV)/bin/python -m scripts.demo --data $(ARXIV_DATA)

clean:
	rm -rf $(VENV) build *.egg-info demo
