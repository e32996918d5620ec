# Every target is a thin wrapper over a `python -m ...` command (see README for the
# same commands without make, e.g. on Windows).
PYTHON ?= python3
ifeq ($(OS),Windows_NT)
VENV_PY := .venv/Scripts/python.exe
else
VENV_PY := .venv/bin/python
endif

.PHONY: lab test bench cloud-start cloud-stop cloud-status cloud-reset strip venv venv-dev clean

venv:
	$(PYTHON) -m helpers.bootstrap

venv-dev:
	$(PYTHON) -m helpers.bootstrap --dev

lab: venv
	$(VENV_PY) -m helpers.lab

test: venv-dev
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

bench: venv-dev
	$(VENV_PY) -m bench $(BENCH_ARGS)

cloud-start: venv
	$(VENV_PY) -m helpers.localcloud start

cloud-stop: venv
	$(VENV_PY) -m helpers.localcloud stop

cloud-status: venv
	$(VENV_PY) -m helpers.localcloud status

cloud-reset: venv
	$(VENV_PY) -m helpers.localcloud reset

strip: venv
	$(VENV_PY) -m helpers.notebooks strip

clean:
	-$(VENV_PY) -m helpers.localcloud stop
	rm -rf .localcloud work
