# The two commands a newcomer runs: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv installs exactly what uv.lock names; uv itself is pinned and kept apart from the project's venv.
UV_VERSION := 0.13.10
UV := .tools/uv-$(UV_VERSION)/bin/uv
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml uv.lock | cksum | cut -d' ' -f1)

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup browser run test bench lock clean

setup: $(STAMP)

$(UV):
	@$(PYTHON) -m pip install -q --disable-pip-version-check --target .tools/uv-$(UV_VERSION) uv==$(UV_VERSION)

# --locked: install the locked versions, and stop if pyproject.toml has moved on from uv.lock.
# --compile-bytecode: write every package's .pyc once now; where PYTHONDONTWRITEBYTECODE is set
# (or site-packages is read-only), each command would otherwise recompile Prefect and spaCy (~8 s).
$(STAMP): pyproject.toml uv.lock | $(UV)
	@$(UV) sync -q --locked --compile-bytecode --python $(PYTHON) --extra test --extra dask
	@rm -f $(VENV)/.installed-*
	@touch $@

# Refresh uv.lock after changing pyproject.toml's dependencies (then commit both).
lock: | $(UV)
	$(UV) lock --python $(PYTHON)

run: setup
	$(BIN)/litmus run

# The report's browser test needs Debian's chromium; installed when missing and apt is usable.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the report's browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: the browser test will be skipped"; \
	  else echo "chromium not found and apt-get unavailable: the browser test will be skipped"; fi; }

test: setup browser
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/run_benchmarks.py

clean:
	rm -rf $(VENV) .tools warehouse/litmus.duckdb warehouse/litmus.duckdb.wal
