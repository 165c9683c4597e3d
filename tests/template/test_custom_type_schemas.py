"""cfn-lint knows this project's Custom:: types (cfn-lint/schemas/, rule E9101): typos fail before a deploy.

The schemas are written from scripts/resource_schemas.py, and checked here against the
code: the property names against src/resources/registry.py, the required ones and
allowed values against the property parsers, the attributes against what the function
answers. That every shipped template passes is ``make cfn-lint``'s job (part of ``make test``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from properties.certificate import parse_certificate_properties
from properties.client_settings import parse_client_settings
from properties.client_urls import parse_client_urls
from properties.domain import parse_domain_properties
from properties.parsing import InvalidPropertiesError
from resources.registry import RESOURCE_TYPES
from scripts.resource_schemas import TYPES, main, registry_schema
from tests.support.harness import CloudFormation, UserPool

ROOT = Path(__file__).resolve().parents[2]
CFN_LINT = str(Path(sys.executable).parent / "cfn-lint")
PARSERS = {
    "Custom::CognitoUserPoolDomain": parse_domain_properties,
    "Custom::CognitoUserPoolClientSettings": parse_client_settings,
    "Custom::CognitoDomainCertificate": parse_certificate_properties,
    "Custom::CognitoUserPoolClientURLs": parse_client_urls,
}


def test_the_schema_files_are_what_the_generator_writes() -> None:
    assert main(["--check"]) == 0, "cfn-lint/schemas/ is stale: run make schemas"


def test_every_type_and_property_the_function_serves_has_a_schema() -> None:
    assert set(TYPES) == set(RESOURCE_TYPES) == set(PARSERS)
    for type_name, resource in TYPES.items():
        assert set(resource.properties) == RESOURCE_TYPES[type_name].properties, type_name
        assert set(resource.attributes) == RESOURCE_TYPES[type_name].attributes, type_name


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_required_properties_are_the_ones_the_parser_requires(type_name: str) -> None:
    with pytest.raises(InvalidPropertiesError) as refused:
        PARSERS[type_name]({})

    required_by_parser = set(re.findall(r"(\w+) is required", str(refused.value)))
    assert {name for name, prop in TYPES[type_name].properties.items() if prop.required} == required_by_parser
    assert set(registry_schema(type_name, TYPES[type_name])["required"]) == {"ServiceToken", *required_by_parser}


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_a_value_outside_a_choice_is_refused_by_the_parser_too(type_name: str) -> None:
    for name, prop in TYPES[type_name].properties.items():
        if prop.kind == "choice":
            with pytest.raises(InvalidPropertiesError, match=f"{name} must be one of {', '.join(prop.values)}"):
                PARSERS[type_name]({name: "not-a-choice"})


def test_domain_attributes_are_what_the_function_answers(cfn: CloudFormation, pool: UserPool) -> None:
    answer = cfn.send(
        cfn.events.create("Custom::CognitoUserPoolDomain", "D", {"UserPoolId": pool.id, "Domain": "notes-schema"})
    )

    assert set(answer["Data"]) == set(TYPES["Custom::CognitoUserPoolDomain"].attributes)


def test_client_settings_attributes_are_what_the_function_answers(cfn: CloudFormation, pool: UserPool) -> None:
    cfn.send(cfn.events.create("Custom::CognitoUserPoolDomain", "D", {"UserPoolId": pool.id, "Domain": "notes-schema"}))
    properties = {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "CallbackURLs": ["https://app.example.com/"],
        "LogoutURLs": ["https://app.example.com/"],
        "Domain": "notes-schema",
    }

    answer = cfn.send(cfn.events.create("Custom::CognitoUserPoolClientSettings", "S", properties))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert set(answer["Data"]) == set(TYPES["Custom::CognitoUserPoolClientSettings"].attributes)


def test_certificate_attributes_are_what_the_function_answers(cfn: CloudFormation, route53: Any) -> None:
    zone_id = str(route53.create_hosted_zone(Name="example.org", CallerReference="schema")["HostedZone"]["Id"])
    zone_id = zone_id.rsplit("/", maxsplit=1)[-1]
    parent = {"Name": "example.org.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": parent}]}
    )
    properties = {"DomainName": "auth.example.org", "HostedZoneId": zone_id}

    answer = cfn.send(cfn.events.create("Custom::CognitoDomainCertificate", "C", properties))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert set(answer["Data"]) == set(TYPES["Custom::CognitoDomainCertificate"].attributes)


TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Token: {{Type: String}}
  Urls: {{Type: CommaDelimitedList}}
Resources:
  Resource:
    Type: {type_name}
    Properties:
      ServiceToken: !Ref Token
{properties}
"""
DOMAIN = "Custom::CognitoUserPoolDomain"
SETTINGS = "Custom::CognitoUserPoolClientSettings"
CERTIFICATE = "Custom::CognitoDomainCertificate"
SETTINGS_OK = (
    "      UserPoolId: us-east-1_AbC123\n      ClientId: abc\n      AllowedOAuthFlows: [code]\n"
    "      AllowedOAuthScopes: [openid]"
)
MISTAKES = {
    "unknown-property": (DOMAIN, "      UserPoolId: us-east-1_AbC123\n      Domian: notes", "'Domian' was unexpected"),
    "missing-required": (DOMAIN, "      UserPoolId: us-east-1_AbC123", "'Domain' is a required property"),
    "string-for-a-list": (SETTINGS, SETTINGS_OK + '\n      CallbackURLs: "a,b"', "'a,b' is not of type 'array'"),
    "value-not-allowed": (
        DOMAIN,
        "      UserPoolId: p_1\n      Domain: d\n      ManagedLoginVersion: 3",
        "3 is not one of",
    ),
    "flow-not-allowed": (
        SETTINGS,
        SETTINGS_OK.replace("[code]", "[code, password]"),
        "'password' is not one of ['code', 'implicit', 'client_credentials']",
    ),
    "certificate-missing-zone": (CERTIFICATE, "      DomainName: auth.example.com", "'HostedZoneId' is a required"),
}
CORRECT = {
    "domain": (DOMAIN, "      UserPoolId: us-east-1_AbC123\n      Domain: notes\n      ManagedLoginVersion: 2"),
    "settings-with-a-list-parameter": (SETTINGS, SETTINGS_OK + "\n      CallbackURLs: !Ref Urls"),
    "certificate": (CERTIFICATE, "      DomainName: auth.example.com\n      HostedZoneId: Z123"),
}


def cfn_lint(paths: list[Path]) -> str:
    # From the repository root, as make cfn-lint runs it: cfn-lint reads .cfnlintrc there.
    completed = subprocess.run(
        [CFN_LINT, *map(str, paths)], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    return completed.stdout + completed.stderr


@pytest.mark.slow
def test_cfn_lint_reports_each_kind_of_mistake_and_passes_correct_ones(tmp_path: Path) -> None:
    paths = {}
    for name, (type_name, properties, *_) in {**MISTAKES, **CORRECT}.items():
        paths[name] = tmp_path / f"{name}.yaml"
        paths[name].write_text(TEMPLATE.format(type_name=type_name, properties=properties))

    output = cfn_lint(list(paths.values()))

    reports: dict[str, list[str]] = {name: [] for name in paths}
    for error, location in re.findall(r"^(E\d+ .*)\n(\S+\.yaml):\d+:\d+", output, re.MULTILINE):
        reports[Path(location).stem].append(error)
    for name, (_, _, expected) in MISTAKES.items():
        assert any(error.startswith("E9101 ") and expected in error for error in reports[name]), (name, output)
    for name in CORRECT:
        assert reports[name] == [], (name, output)
