# The targets the README and .ci/run call. Everything the project needs is installed here.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test docs lint bench bench-figures figures graphviz chromium valgrind install clean notebooks lab

demo: $(STAMP) graphviz
	$(VENV)/bin/neurotrace demo --out demo_output

# The suite: lint, every module's docstring examples, the tests (setup.cfg's [tool:pytest]).
test: $(STAMP) graphviz chromium valgrind lint
	$(PY) -m pytest

# The documentation site (Sphinx: docs/conf.py says why) into docs/_build/html, warnings as
# errors. `make test` builds it too (tests/test_docs.py), and follows every link in Chromium.
docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -E -q -b html docs docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# The benchmark lives in benchmarks/ (not installed); it writes under bench_output/.
bench: $(STAMP) graphviz valgrind
	$(PY) -m benchmarks --out bench_output --instructions

# The same, and the README's benchmark plots in figures/ replaced by this run's.
bench-figures: $(STAMP) graphviz valgrind
	$(PY) -m benchmarks --out bench_output --figures figures --instructions

figures: $(STAMP) graphviz chromium
	$(PY) -m tools.make_figures figures

# Build every tutorial from its source (tutorials/src/*.py) and execute it, storing the
# outputs in tutorials/*.ipynb. `make notebooks NB=03` builds only the notebooks matching 03.
notebooks: $(STAMP) graphviz
	$(PY) tools/build_notebooks.py $(NB)

# JupyterLab is an extra (not a dependency of neurotrace): install it into the venv, open the tutorials.
lab: $(STAMP)
	$(PY) -m pip install -e ".[dev,lab]"
	$(VENV)/bin/jupyter lab tutorials/

install: $(STAMP)

# pip's output goes to $(VENV)/install.log (shown only when something fails).
# PyTorch, for the bridge (nt.to_torch) and its tests, is a CPU build pinned by version:
# an unpinned "torch" on Linux downloads several GB of GPU libraries.
PIP := $(PY) -m pip install --disable-pip-version-check
$(STAMP): setup.cfg pyproject.toml
	@echo "install: a virtual environment in $(VENV) (pip's log: $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@( $(PIP) --upgrade pip setuptools wheel \
	  && $(PIP) torch==2.13.0 \
	  && $(PIP) -e ".[dev,torch,docs,bench]" ) > $(VENV)/install.log 2>&1 \
	  || { tail -n 30 $(VENV)/install.log; echo "install: failed; see $(VENV)/install.log"; exit 1; }
	@touch $(STAMP)

# $(call system_program,NAME,FOUND,VERSION,PACKAGE,WITHOUT): say which NAME this machine has
# (the shell test FOUND is true; VERSION prints it), or install the Debian package PACKAGE
# where we can (root and apt-get). Where we cannot, say so and carry on; WITHOUT says what
# then happens.
define system_program
@if $(2); then \
  echo "$(1): $$($(3))"; \
elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
  echo "$(1): installing the Debian package '$(4)'"; \
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(4) >/dev/null) \
    || echo "$(1): could not install it; $(5)"; \
else \
  echo "$(1): not found and cannot be installed here (needs root and apt-get)."; \
  echo "          Install it with your package manager (e.g. 'sudo apt-get install $(4)')."; \
  echo "          Carrying on: $(5)."; \
fi
endef

# The system's Graphviz (the `dot` program) renders the pictures; without it, DOT source is
# still written.
graphviz:
	$(call system_program,graphviz,command -v dot >/dev/null 2>&1,dot -V 2>&1,graphviz,pictures will be saved as DOT source only)

# The system's Chromium runs the viewer's browser tests and its screenshot in figures/
# (Playwright drives it; Playwright's own browser download is not used).
chromium:
	$(call system_program,chromium,[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1,chromium --version 2>/dev/null || /usr/bin/chromium --version,chromium,the browser tests will skip (and fail under CI))

# valgrind counts the instructions of the benchmark's rows (benchmarks/instructions.py): the
# ratios without the machine's noise.
valgrind:
	$(call system_program,valgrind,command -v valgrind >/dev/null 2>&1,valgrind --version,valgrind,the instruction counts will skip (and fail under CI))

clean:
	rm -rf $(VENV) demo_output bench_output .pytest_cache *.egg-info docs/_build
