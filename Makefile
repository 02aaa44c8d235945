# Every target bootstraps what it needs from pinned files, so a fresh clone needs only Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
PYTEST_WORKERS ?= 2

.PHONY: dev test test-fast lint bench package openapi console-templates lock clean chromium

$(VENV)/.installed: requirements/dev.txt layers/vitrine/requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==24.3.1
	$(PY) -m pip install --quiet -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# The cold-start bench's children run on what Lambda gives a function: the layer's pins and the runtime's boto3,
# nothing of the dev tools (bench/cold_start_measure.py). No pip inside: the project venv's pip installs into it.
LAMBDA_VENV := .venv-lambda
$(LAMBDA_VENV)/.installed: layers/vitrine/requirements.txt requirements/lambda-runtime.txt $(VENV)/.installed
	rm -rf $(LAMBDA_VENV) && $(PYTHON) -m venv --without-pip $(LAMBDA_VENV)
	$(PY) -m pip --python $(LAMBDA_VENV)/bin/python install --quiet --no-deps \
	  -r layers/vitrine/requirements.txt -r requirements/lambda-runtime.txt
	touch $@

# aws-sam-cli lives in a tool virtualenv of its own so its pins never fight the project's.
$(SAM_VENV)/.installed: requirements/sam.txt
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet -r requirements/sam.txt
	touch $@

dev: $(VENV)/.installed
	$(PY) -m local_stack.cli dev

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/cfn-lint infra/template.yaml
	$(VENV)/bin/lint-imports --no-cache

# The browser tests drive Debian's chromium (Playwright's own browser downloads are never used).
chromium:
	test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium; }

test: lint $(SAM_VENV)/.installed chromium
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

# Unit and integration tests only: seconds, no subprocesses.
test-fast: $(VENV)/.installed
	$(PY) -m pytest tests/unit tests/integration -q

# The OpenAPI document is built from the route declarations at build time and committed (a test checks it is current).
openapi: $(VENV)/.installed
	$(PY) infra/build_openapi.py

# The console's templates ship compiled (a cold start loads them instead of compiling them; a test checks them).
console-templates: $(VENV)/.installed
	$(PY) infra/build_console_templates.py

bench: $(VENV)/.installed $(LAMBDA_VENV)/.installed
	$(PY) bench/cold_start.py $(BENCH_ARGS)
	$(PY) bench/stack_floor.py
	$(PY) bench/checkout.py
	$(PY) bench/storefront.py
	$(PY) bench/webhooks.py
	$(PY) bench/stock_sync.py
	$(PY) bench/cost.py
	$(PY) bench/payout.py

# sam build (no container: the layer's BuildMethod python3.11 runs the python3.11 on PATH and its pip, which
# fetches manylinux x86_64 cp311 wheels), then infra/package_check.py proves the artifact complete: every
# handler imports from only its built dir + the layer + the runtime's boto3/botocore. PACKAGE_DIR may point
# elsewhere (the package test builds into a temporary directory). sam keeps its global state in the tool venv
# (__SAM_CLI_APP_DIR, sam's own override of ~/.aws-sam), seeded so it sends no telemetry and never does
# its weekly update check against PyPI.
PACKAGE_DIR ?= .aws-sam/build
SAM_APP_DIR := $(SAM_VENV)/app-dir
package: $(SAM_VENV)/.installed
	@command -v python3.11 >/dev/null || { echo "make package: sam build needs python3.11 on PATH" >&2; exit 1; }
	@mkdir -p $(SAM_APP_DIR) && echo '{"telemetryEnabled": false, "lastVersionCheck": 4102444800.0}' \
	  > $(SAM_APP_DIR)/metadata.json
	SAM_CLI_TELEMETRY=0 __SAM_CLI_APP_DIR=$(abspath $(SAM_APP_DIR)) PIP_DISABLE_PIP_VERSION_CHECK=1 \
	  $(SAM) build --template-file infra/template.yaml --build-dir $(PACKAGE_DIR)
	$(SAM_VENV)/bin/python infra/package_check.py --build-dir $(PACKAGE_DIR)

# Regenerates the pinned locks from the top-level lists.
lock:
	rm -rf /tmp/vitrine-lock && $(PYTHON) -m venv /tmp/vitrine-lock
	/tmp/vitrine-lock/bin/pip install --quiet -r requirements/dev.in
	( echo "# Pinned lock of requirements/dev.in (make lock regenerates it). The layer set is layers/vitrine/requirements.txt."; \
	  /tmp/vitrine-lock/bin/pip freeze --exclude-editable ) > requirements/dev.txt

clean:
	rm -rf $(VENV) $(SAM_VENV) $(LAMBDA_VENV) .aws-sam .pytest_cache .ruff_cache
