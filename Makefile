# mlbasics: every command a user runs. `make` alone lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COURSE := $(BIN)/python -m mlbasics.course

ASSIGNMENT ?=
NB ?=
FILE ?=
ROLE ?= learner
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SANDBOX ?= on
SCHEDULER ?=
FORCE ?=
PYTEST_ARGS ?=
TEST_WORKERS ?= $(JOBS)
ZIP ?=
ROSTER ?=
LMS ?= auto
REPLACE ?=
EDITION ?=

.DEFAULT_GOAL := help
.PHONY: help install release test test-fast check autograde lab execute mutants translations clean db-migrate-to report collect return

help: ## list the commands
	@echo "mlbasics: an autograded Jupyter course on training ML models"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: ASSIGNMENT=<id> (release), NB=<id> (check), ROLE=instructor (lab), JOBS=N SANDBOX=off (autograde)"
	@echo "           DB_URL=postgresql+psycopg2://USER@HOST:PORT/DB (every command), SCHEDULER=tcp://HOST:8786 (autograde)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# rfc3987-syntax (jupyter-events asks for jsonschema[format-nongpl]) compiles a grammar when
	@# jsonschema is imported: 1.6 s more for every command that reads a notebook. jsonschema works
	@# without it; only the "iri" format of JSON schemas is then left unchecked.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the course (re-runs only when pyproject.toml changes)

release: install ## regenerate notebooks/ from solutions/ and check the release (ASSIGNMENT=<id> for one; EDITION=ko: notebooks-ko/)
	$(COURSE) release $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(EDITION),--edition '$(EDITION)')

test: install ## run everything CI checks (TEST_WORKERS=N pytest processes, one per core by default)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-fast: install ## the unit and reference tests only: no kernels, browser, PostgreSQL or cluster (about a minute)
	$(BIN)/python -m pytest tests -m "not (kernel or browser or postgres or cluster or slow)" $(PYTEST_ARGS)

check: install ## run the visible tests of your notebook: make check NB=01-gradient-descent [FILE=path/to/my.ipynb]
	@test -n "$(NB)" || { echo "usage: make check NB=<assignment id> [FILE=path/to/my.ipynb], e.g. NB=01-gradient-descent"; exit 2; }
	$(COURSE) check $(NB) $(if $(FILE),--path '$(FILE)') $(if $(EDITION),--edition '$(EDITION)')

autograde: install ## grade submitted/<student>/<id>/ in parallel, sandboxed (JOBS=N, SANDBOX=off, SCHEDULER=tcp://host:8786)
	$(COURSE) autograde --jobs '$(JOBS)' --sandbox $(SANDBOX) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

db-migrate-to: install ## copy gradebook.db into PostgreSQL and verify: make db-migrate-to DB_URL=postgresql+psycopg2://... (FORCE=1 replaces)
	@test -n "$(DB_URL)" || { echo "usage: make db-migrate-to DB_URL=postgresql+psycopg2://USER@HOST:PORT/DBNAME [FORCE=1]"; exit 2; }
	$(COURSE) db-migrate-to '$(DB_URL)' $(if $(FORCE),--force)

lab: install ## open JupyterLab on the release (ROLE=instructor opens solutions/; EDITION=ko: notebooks-ko/)
	$(COURSE) lab --role $(ROLE) $(if $(EDITION),--edition '$(EDITION)')

execute: install ## (authors) run solution notebooks and store their outputs (ASSIGNMENT=<id> for one)
	$(COURSE) execute $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

mutants: install ## (authors) prove the graders: known wrong answers must lose points (ASSIGNMENT=<id> for one)
	$(COURSE) mutants $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(EDITION),--edition '$(EDITION)')

report: install ## after grading: report/index.html (scores, exercises, misconceptions, problem submissions)
	$(COURSE) report

collect: install ## place a Canvas/Moodle zip under submitted/: make collect ZIP=file.zip [ROSTER=roster.csv] [REPLACE=1]
	@test -n "$(ZIP)" || { echo "usage: make collect ZIP=<the zip the LMS gave> [ROSTER=roster.csv] [LMS=canvas|moodle] [REPLACE=1]"; exit 2; }
	$(COURSE) collect '$(ZIP)' --lms '$(LMS)' $(if $(ROSTER),--roster '$(ROSTER)') $(if $(REPLACE),--replace)

return: install ## return/<student>.zip (feedback + graded notebook) and return/canvas-grades.csv [ROSTER=roster.csv]
	$(COURSE) return $(if $(ROSTER),--roster '$(ROSTER)')

translations: install ## (translators) update solutions/<id>/<edition>.po and list what is missing: make translations EDITION=ko
	@test -n "$(EDITION)" || { echo "usage: make translations EDITION=ko [ASSIGNMENT=<id>]"; exit 2; }
	$(COURSE) translations '$(EDITION)' $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

clean: ## remove the environment, caches and grading output (never submitted/ or backups/)
	rm -rf $(VENV) .pytest_cache .hypothesis autograded feedback grades.csv grades-long.csv report return .artifacts *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
