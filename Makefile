# Everything runs from the project's own virtual environments:
#   .venv      the tests, the linters and the local runner (requirements-dev.txt)
#   .venv-sam  the AWS SAM CLI (requirements-sam.txt), which pins its own boto3
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
SAM_VENV := .venv-sam
LAMBDA_PYTHON_VERSION := 3.13
TEMPLATES := template.yaml $(wildcard examples/*/*.yaml)
# sam and the local runner work offline with a region set and telemetry off.
export AWS_DEFAULT_REGION ?= us-east-1
export SAM_CLI_TELEMETRY := 0

.PHONY: help test lint imports typecheck cfn-lint unit local build validate deploy bench stackset-template readme clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements-dev.txt src/requirements.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(SAM_VENV)/.installed: requirements-sam.txt
	@test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-sam.txt
	@touch $@

test: lint imports typecheck cfn-lint unit ## Run ruff, the import check, mypy --strict, cfn-lint and the whole pytest suite

lint: $(VENV)/.installed ## ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

imports: $(VENV)/.installed ## Fail on an import that runs the wrong way (scripts/check_imports.py)
	$(VENV)/bin/python scripts/check_imports.py

typecheck: $(VENV)/.installed ## mypy --strict with the boto3 Cognito stubs
	$(VENV)/bin/mypy

cfn-lint: $(VENV)/.installed ## cfn-lint on every template
	$(VENV)/bin/cfn-lint $(TEMPLATES)

unit: $(VENV)/.installed ## pytest only, on every CPU (pytest-xdist)
	$(VENV)/bin/python -m pytest -n auto

local: $(VENV)/.installed ## Bring the whole stack up on this machine (no AWS account); KEEP=1 leaves it running, EMBED=1 adds examples/embed, CUSTOM_DOMAIN=auth.example.test a custom domain end to end
	$(VENV)/bin/python -m local.run $(if $(KEEP),--keep,) $(if $(EMBED),--with-embed-example,) $(if $(CUSTOM_DOMAIN),--custom-domain $(CUSTOM_DOMAIN),)

bench: $(VENV)/.installed ## Print the benchmark table (medians of several runs)
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

stackset-template: $(VENV)/.installed ## Write template.yaml as plain CloudFormation for StackSets (.aws-sam/stackset-template.json)
	$(VENV)/bin/python scripts/stackset_template.py .aws-sam/stackset-template.json

readme: $(VENV)/.installed ## Copy the example files into the README's example blocks
	$(VENV)/bin/python scripts/sync_readme.py

clean: ## Remove build output and caches (keeps the virtual environments)
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache .local-run
