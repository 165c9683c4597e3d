# Everything runs from the project's own virtual environments:
#   .venv      the tests, the linters and the local runner (requirements-dev.txt)
#   .venv-sam  the AWS SAM CLI (requirements-sam.txt), which pins its own boto3
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
SAM_VENV := .venv-sam
LAMBDA_PYTHON_VERSION := 3.13
# .venv is made with the function's Python (template.yaml, Runtime: python3.13) when
# this machine has it (scripts/find-python.sh: PATH, then pyenv), so that the tests and
# mypy run on the version that ships; otherwise with python3, and make says so.
# PYTHON=/path/to/python overrides the choice. The stamp names the version, so a
# change of version makes .venv again.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell d="$$(scripts/find-python.sh $(LAMBDA_PYTHON_VERSION) 2>/dev/null)" && echo "$$d/python$(LAMBDA_PYTHON_VERSION)" || echo python3)
endif
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV_STAMP := $(VENV)/.installed-python$(PYTHON_VERSION)
# The SAM CLI keeps to the machine's python3, as before.
SAM_PYTHON ?= python3
TEMPLATES := template.yaml $(wildcard examples/*/*.yaml)
# sam and the local runner work offline with a region set and telemetry off.
export AWS_DEFAULT_REGION ?= us-east-1
export SAM_CLI_TELEMETRY := 0

.PHONY: help test lint imports pins-check pins typecheck cfn-lint unit local invoke local-stop build validate deploy publish bench stackset-template schemas readme clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-17s %s\n", $$1, $$2}'

$(VENV_STAMP): requirements-dev.txt src/requirements.txt
	@test -n "$(PYTHON_VERSION)" || { echo "make: $(PYTHON) does not run; set PYTHON=/path/to/python3" >&2; exit 2; }
	@if [ "$(PYTHON_VERSION)" != "$(LAMBDA_PYTHON_VERSION)" ]; then \
		echo "make: note: .venv uses Python $(PYTHON_VERSION) ($(PYTHON)), not the function's $(LAMBDA_PYTHON_VERSION); once installed (pyenv install $(LAMBDA_PYTHON_VERSION)) make finds it"; fi
	@if [ -x $(VENV)/bin/python ] && ! $(VENV)/bin/python -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != "$(PYTHON_VERSION)")'; then \
		echo "make: $(VENV) runs another Python than $(PYTHON_VERSION): making it again"; rm -rf $(VENV); fi
	@test -x $(VENV)/bin/python || { echo "make: creating $(VENV) with $(PYTHON) (Python $(PYTHON_VERSION))"; $(PYTHON) -m venv $(VENV); }
	@echo "make: installing requirements-dev.txt into $(VENV) (the first time takes a minute or two)"
	$(VENV)/bin/python -m pip install --disable-pip-version-check --progress-bar off -r requirements-dev.txt
	@rm -f $(VENV)/.installed-python*
	@touch $@

$(SAM_VENV)/.installed: requirements-sam.txt
	@test -x $(SAM_VENV)/bin/python || { echo "make: creating $(SAM_VENV) with $(SAM_PYTHON)"; $(SAM_PYTHON) -m venv $(SAM_VENV); }
	@echo "make: installing the AWS SAM CLI into $(SAM_VENV) (the first time takes a minute or two)"
	$(SAM_VENV)/bin/python -m pip install --disable-pip-version-check --progress-bar off -r requirements-sam.txt
	@touch $@

test: $(VENV_STAMP) ## Run ruff, the import and pin checks, mypy --strict, cfn-lint and the whole pytest suite, side by side
	@# Side by side: the checks use the CPU while the suite's slow tests, which run
	@# first, wait. Each one's output is printed whole when it ends (--output-sync).
	@$(MAKE) --no-print-directory --jobs=6 --output-sync=target lint imports pins-check typecheck cfn-lint unit

lint: $(VENV_STAMP) ## ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

imports: $(VENV_STAMP) ## Fail on an import that runs the wrong way (scripts/check_imports.py)
	$(VENV)/bin/python scripts/check_imports.py

pins-check: $(VENV_STAMP) ## Fail when .venv and .venv-sam disagree on a shared package (scripts/check_pins.py; offline)
	$(VENV)/bin/python scripts/check_pins.py

pins: $(VENV_STAMP) ## Write requirements-sam.declared.txt again, after changing aws-sam-cli in requirements-sam.txt
	$(VENV)/bin/python scripts/check_pins.py --write-snapshot

typecheck: $(VENV_STAMP) ## mypy --strict with the boto3 Cognito stubs
	@echo "mypy on $$($(VENV)/bin/python -V) (the function runs Python $(LAMBDA_PYTHON_VERSION))"
	$(VENV)/bin/mypy

cfn-lint: $(VENV_STAMP) ## cfn-lint on every template; .cfnlintrc adds rule E9101, the Custom:: types' properties (cfn-lint/)
	$(VENV)/bin/cfn-lint $(TEMPLATES)

# pytest's plugins named, not found through the installed distributions' entry points:
# found that way, pytest rewrites the asserts of each plugin's whole package (all of
# hypothesis, about 0.6 s in each worker). A plain `pytest` loads them as usual.
PYTEST_NAMED_PLUGINS := --disable-plugin-autoload -p xdist.plugin -p xdist.looponfail -p pytest_timeout -p _hypothesis_pytestplugin

unit: $(VENV_STAMP) ## pytest only, in 4 workers (pytest-xdist)
	@# Four workers even on 2 CPUs: the slow tests mostly wait (subprocesses, quota
	@# windows). They are collected first (tests/conftest.py) and handed out two at a
	@# time, so each worker starts on one while the others run the quick ones.
	$(VENV)/bin/python -m pytest $(PYTEST_NAMED_PLUGINS) -n 4 --dist load --maxschedchunk 2

local: $(VENV_STAMP) ## Create, update (replacement, cleanup, a rollback) and delete the stack on 127.0.0.1; KEEP=1 leaves it running, EMBED=1 adds examples/embed, CUSTOM_DOMAIN=auth.example.test a custom domain end to end, PREVIEWS=2 preview stacks sharing its app client
	$(VENV)/bin/python -m local.run $(if $(KEEP),--keep,) $(if $(EMBED),--with-embed-example,) $(if $(CUSTOM_DOMAIN),--custom-domain $(CUSTOM_DOMAIN),) $(if $(PREVIEWS),--previews $(PREVIEWS),) $(if $(QUIET),--quiet,)

invoke: $(VENV_STAMP) ## Run one sample event against the KEEP=1 endpoint and print the answer: make invoke EVENT=events/domain-create.json
	@test -n "$(EVENT)" || { echo "usage: make invoke EVENT=events/domain-create.json" >&2; exit 2; }
	$(VENV)/bin/python -m local.invoke $(if $(QUIET),--quiet,) $(EVENT)

local-stop: $(VENV_STAMP) ## Stop the endpoint that make local KEEP=1 left running
	$(VENV)/bin/python -m local.kept_endpoint stop

bench: $(VENV_STAMP) ## Print the benchmark rows as they are measured: cold start, answer time and calls per change, parallel load (exit 1 when a row fails)
	$(VENV)/bin/python -m bench.run

build: $(SAM_VENV)/.installed ## sam build, then zip the function as sam package would (.aws-sam/provider-function.zip)
	PATH="$$(scripts/find-python.sh $(LAMBDA_PYTHON_VERSION)):$$PATH" $(SAM_VENV)/bin/sam build --template-file template.yaml
	@# Ship bytecode compiled by the runtime's Python: /var/task is read-only, so
	@# Lambda would otherwise compile every module on every cold start.
	"$$(scripts/find-python.sh $(LAMBDA_PYTHON_VERSION))/python$(LAMBDA_PYTHON_VERSION)" -m compileall -q \
		--invalidation-mode unchecked-hash .aws-sam/build/ProviderFunction
	rm -f .aws-sam/provider-function.zip
	cd .aws-sam/build/ProviderFunction && $(PYTHON) -m zipfile -c ../../provider-function.zip .
	@ls -l .aws-sam/provider-function.zip

validate: $(SAM_VENV)/.installed ## sam validate --lint
	$(SAM_VENV)/bin/sam validate --lint --template-file template.yaml

deploy: build ## sam deploy with samconfig.toml (needs AWS credentials)
	$(SAM_VENV)/bin/sam deploy

publish: ## Publish to the Serverless Application Repository (needs credentials; S3_BUCKET=<bucket SAR can read>; URLs from the git remote or HOME_PAGE_URL/SOURCE_CODE_URL)
	@# S3_BUCKET is checked first: a sam build takes a minute, and is wasted without it.
	@test -n "$(S3_BUCKET)" || { echo "usage: make publish S3_BUCKET=<bucket> [HOME_PAGE_URL=https://...] [SOURCE_CODE_URL=https://...]" >&2; exit 2; }
	$(MAKE) --no-print-directory build $(VENV_STAMP)
	$(VENV)/bin/python scripts/publish_metadata.py .aws-sam/build/template.yaml .aws-sam/build/publish-template.json \
		$(if $(HOME_PAGE_URL),--home-page-url "$(HOME_PAGE_URL)",) $(if $(SOURCE_CODE_URL),--source-code-url "$(SOURCE_CODE_URL)",)
	$(SAM_VENV)/bin/sam package --template-file .aws-sam/build/publish-template.json \
		--s3-bucket "$(S3_BUCKET)" --output-template-file .aws-sam/packaged.yaml
	$(SAM_VENV)/bin/sam publish --template .aws-sam/packaged.yaml

stackset-template: $(VENV_STAMP) ## Write template.yaml as plain CloudFormation for StackSets (.aws-sam/stackset-template.json)
	$(VENV)/bin/python scripts/stackset_template.py .aws-sam/stackset-template.json

schemas: $(VENV_STAMP) ## Write cfn-lint/schemas/ again from scripts/resource_schemas.py, after changing a Custom:: type
	$(VENV)/bin/python scripts/resource_schemas.py

readme: $(VENV_STAMP) ## Copy the example files into the example blocks of README.md and docs/
	$(VENV)/bin/python scripts/sync_readme.py

clean: ## Remove build output and caches (keeps the virtual environments)
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache .local-run
