# Two commands do all the set-up on a fresh machine (Python 3.11+ and make):
#   make daily   create .venv, install the runtime (-e .), run the daily job (crawl, score, propose)
#   make test    create .venv, install with the test extras (-e '.[test]'), run the test suite
# The workflows run `make daily`, `make merge`, `make lint` and `make decide`, so they install
# only the runtime.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
# installed: the runtime (what daily, merge, lint and review need) / plus the test extras
STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed
# what an install reads of pyproject.toml: all but the [tool.opdlist] settings, which are data
# (changing min_score must not reinstall); rewritten only when it changes
PROJECT := $(VENV)/.project

ARXIV_DATA ?= ../shared/arxiv

.PHONY: daily test merge lint decide demo clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip

$(PROJECT): pyproject.toml | $(VENV)/bin/python
	@$(VENV)/bin/python -c 'import json, tomllib; d = tomllib.load(open("pyproject.toml", "rb")); \
	d.get("tool", {}).pop("opdlist", None); print(json.dumps(d, sort_keys=True))' > $@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(STAMP): $(PROJECT) | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(PROJECT) | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP) $(STAMP)

daily: $(STAMP)
	$(VENV)/bin/opdlist daily

test: $(TEST_STAMP)
	$(VENV)/bin/python -m pytest -q -n auto

merge: $(STAMP)
	$(VENV)/bin/opdlist merge

lint: $(STAMP)
	$(VENV)/bin/opdlist lint

# the boxes ticked in the candidates pull request's body (a file) into review decisions
PR_BODY ?= pr-body.md
decide: $(STAMP)
	$(VENV)/bin/opdlist decide --pr-body "$(PR_BODY)"

# the daily loop offline: a fake arXiv on the captured data, three listing days (one missed),
# in a throw-away copy of the list (demo/)
demo: $(STAMP)
	$(VENV)/bin/python -m scripts.demo --data $(ARXIV_DATA) $(if $(FRESH),--fresh)

clean:
	rm -rf $(VENV) build *.egg-info demo
