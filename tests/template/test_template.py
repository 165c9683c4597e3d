"""template.yaml says what the issues promise: the resources, their settings, the outputs, the policy."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from local.cfn_yaml import load_template

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(ROOT / "template.yaml")


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == resource_type}


def test_user_pool_signs_users_in_with_their_email(template: dict[str, Any]) -> None:
    (pool,) = resources_of_type(template, "AWS::Cognito::UserPool").values()
    properties = pool["Properties"]

    assert properties["UsernameAttributes"] == ["email"]
    assert properties["AutoVerifiedAttributes"] == ["email"]
    assert properties["DeletionProtection"] == {"Ref": "DeletionProtection"}
    assert properties["Policies"]["PasswordPolicy"]["MinimumLength"] >= 8


def test_app_client_has_no_secret_and_the_auth_flows_the_cli_needs(template: dict[str, Any]) -> None:
    (client,) = resources_of_type(template, "AWS::Cognito::UserPoolClient").values()
    properties = client["Properties"]
    flows = template["Mappings"]["AppClient"]["Settings"]["ExplicitAuthFlows"]

    assert properties["GenerateSecret"] is False
    assert properties["ExplicitAuthFlows"] == {"Fn::FindInMap": ["AppClient", "Settings", "ExplicitAuthFlows"]}
    assert set(flows) == {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert properties["PreventUserExistenceErrors"] == "ENABLED"


def test_function_is_the_python_crhelper_handler_with_its_own_log_group(template: dict[str, Any]) -> None:
    function = template["Resources"]["ProviderFunction"]
    properties = function["Properties"]

    assert function["Type"] == "AWS::Serverless::Function"
    assert (properties["CodeUri"], properties["Handler"]) == ("src/", "handler.handler")
    assert re.fullmatch(r"python3\.1[2-9]", template["Globals"]["Function"]["Runtime"])
    assert properties["LoggingConfig"]["LogGroup"] == {"Ref": "ProviderLogGroup"}
    assert template["Resources"]["ProviderLogGroup"]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionInDays"}
    assert "crhelper" in (ROOT / "src" / "requirements.txt").read_text()


def test_function_logs_in_lambdas_json_format_at_info(template: dict[str, Any]) -> None:
    properties = template["Resources"]["ProviderFunction"]["Properties"]

    assert properties["LoggingConfig"] == {
        "LogGroup": {"Ref": "ProviderLogGroup"},
        "LogFormat": "JSON",
        "ApplicationLogLevel": "INFO",
        "SystemLogLevel": "WARN",
    }
    # The code's own level (src/cfn/logs.py reads LOG_LEVEL) equals Lambda's filter:
    # a line is written only at or above both, so they must move together.
    assert properties["Environment"]["Variables"]["LOG_LEVEL"] == properties["LoggingConfig"]["ApplicationLogLevel"]


def test_every_custom_resource_has_a_service_timeout(template: dict[str, Any]) -> None:
    customs = {n: r for n, r in template["Resources"].items() if r["Type"].startswith("Custom::")}

    assert set(customs) == {"HostedUIDomain", "AppClientSettings", "DomainCertificate"}
    for resource in customs.values():
        assert 60 <= resource["Properties"]["ServiceTimeout"] <= 3600


def test_outputs_and_exported_service_token(template: dict[str, Any]) -> None:
    outputs = template["Outputs"]

    assert {
        "UserPoolId",
        "UserPoolArn",
        "Region",
        "AppClientId",
        "Domain",
        "HostedUIBaseUrl",
        "CloudFrontDistribution",
        "HostedUIUrl",
        "ServiceToken",
    } <= set(outputs)
    for name in ("AuthorizeUrl", "TokenUrl", "UserInfoUrl", "RevokeUrl", "Issuer", "DiscoveryUrl", "JwksUrl",
                 "IdpRedirectUri", "SamlEntityId", "SamlAcsUrl", "PasskeyRelyingPartyId"):  # fmt: skip
        assert outputs[name]["Value"] == {"Fn::GetAtt": ["HostedUIDomain", name]}
    assert outputs["ServiceToken"]["Export"]["Name"] == {"Fn::Sub": "${AWS::StackName}-ServiceToken"}


def test_derived_domain_prefix_is_unique_per_stack_and_fits_63_characters(template: dict[str, Any]) -> None:
    domain = template["Resources"]["HostedUIDomain"]["Properties"]["Domain"]
    derived = domain["Fn::If"][2]["Fn::If"][2]
    app_name_pattern = template["Parameters"]["AppName"]["AllowedPattern"]

    # <AppName>-<last group of the stack id's GUID>: 12 hex characters unique to the stack.
    assert derived == {
        "Fn::Join": [
            "-",
            [
                {"Ref": "AppName"},
                {
                    "Fn::Select": [
                        4,
                        {"Fn::Split": ["-", {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}]},
                    ]
                },
            ],
        ]
    }
    longest_app_name = int(re.search(r"\{0,(\d+)\}", app_name_pattern).group(1)) + 2  # type: ignore[union-attr]
    assert longest_app_name + 1 + 12 <= 63
    assert template["Parameters"]["AppName"]["Default"] == "notes-app"


def _iam_action(service: str, operation: str) -> str:
    return f"{service}:" + "".join(part.title() for part in operation.split("_"))


def cognito_actions_called_by_the_code() -> set[str]:
    """Every ``self._client.<operation>`` and ``get_paginator("<operation>")`` in cognito_ops.py, as an IAM action."""
    tree = ast.parse((ROOT / "src" / "cognito_ops.py").read_text())
    operations = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "_client"
        and node.attr not in ("meta", "get_paginator")
    }
    operations |= {
        str(node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get_paginator"
        and isinstance(node.args[0], ast.Constant)
    }
    return {_iam_action("cognito-idp", op) for op in operations}


def certificate_actions_called_by_the_code() -> set[str]:
    """The ACM calls (on the us-east-1 client that ``certificate()`` uses), as IAM actions."""
    tree = ast.parse((ROOT / "src" / "aws" / "certificates.py").read_text())
    (method,) = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and n.name == "certificate" and any(isinstance(b, ast.Assign) for b in n.body)
    ]
    return {
        _iam_action("acm", node.attr)
        for node in ast.walk(method)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "acm"
    }


def test_policy_grants_exactly_the_cognito_actions_the_code_calls(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ProviderFunction"]["Properties"]["Policies"][0]["Statement"]
    granted = {
        action
        for statement in statements
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        if action.startswith("cognito-idp:")
    }

    assert granted == cognito_actions_called_by_the_code()
    assert len(cognito_actions_called_by_the_code()) == 13


def test_owner_records_are_granted_under_their_path_only(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ProviderFunction"]["Properties"]["Policies"][0]["Statement"]
    (statement,) = [s for s in statements if s["Sid"] == "RecordClientSettingsOwners"]
    tree = ast.parse((ROOT / "src" / "aws" / "records.py").read_text())
    called = {
        _iam_action("ssm", node.func.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Attribute)
        and node.func.value.func.attr == "_ssm"
    }

    assert set(statement["Action"]) == called == {"ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"}
    paths = sorted(resource["Fn::Sub"].rsplit(":parameter", 1)[1] for resource in statement["Resource"])
    assert paths == ["/cognito-hosted-ui-resources/client-owners/*", "/cognito-hosted-ui-resources/domain-owners/*"]


def test_certificate_reads_are_granted_for_us_east_1_certificates_only(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ProviderFunction"]["Properties"]["Policies"][0]["Statement"]
    (statement,) = [s for s in statements if s["Sid"] == "ReadCustomDomainCertificates"]

    assert {statement["Action"]} == certificate_actions_called_by_the_code() == {"acm:DescribeCertificate"}
    # Cognito custom domains use certificates in us-east-1 only (developer guide, "Using your own domain").
    assert statement["Resource"] == {"Fn::Sub": "arn:${AWS::Partition}:acm:us-east-1:${AWS::AccountId}:certificate/*"}


def test_pool_scoped_actions_are_limited_to_the_allowed_pools(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ProviderFunction"]["Properties"]["Policies"][0]["Statement"]
    (pool_statement,) = [s for s in statements if s["Sid"] == "ManageDomainsAndClientsOfAllowedPools"]
    (describe_statement,) = [s for s in statements if s["Sid"] == "DescribeDomainsByName"]

    assert pool_statement["Resource"]["Fn::If"][0] == "HasExtraManagedPools"
    assert pool_statement["Resource"]["Fn::If"][2] == {"Fn::GetAtt": ["UserPool", "Arn"]}
    assert describe_statement["Action"] == "cognito-idp:DescribeUserPoolDomain"
    assert template["Parameters"]["ManagedUserPoolArns"]["Default"] == ""


def test_polling_permissions_are_limited_to_rules_and_the_function_itself(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ProviderPollingPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    actions = {a for s in statements for a in s["Action"]}

    assert actions == {
        "events:PutRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:DeleteRule",
        "lambda:AddPermission",
        "lambda:RemovePermission",
    }
    lambda_statement = next(s for s in statements if "lambda:AddPermission" in s["Action"])
    assert lambda_statement["Resource"] == {"Fn::GetAtt": ["ProviderFunction", "Arn"]}
    for name in ("HostedUIDomain", "AppClientSettings"):
        assert template["Resources"][name]["DependsOn"] == "ProviderPollingPolicy"


def custom_domain_actions_called_by_the_code() -> set[str]:
    """Every ``acm.<operation>`` and ``route53.<operation>`` call in aws/certificates.py and aws/dns.py."""
    source = "\n".join((ROOT / "src" / "aws" / name).read_text() for name in ("certificates.py", "dns.py"))
    tree = ast.parse(source)
    return {
        _iam_action(node.func.value.id, node.func.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in ("acm", "route53")
    }


def certificate_policy(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    policy = template["Resources"]["ProviderCertificatePolicy"]
    assert policy["Condition"] == "RequestsCertificate"
    assert policy["Properties"]["Roles"] == [{"Ref": "ProviderFunctionRole"}]
    return {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}


def _actions(statement: dict[str, Any]) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def test_certificate_policy_grants_exactly_the_acm_and_route53_calls_the_code_makes(template: dict[str, Any]) -> None:
    granted = {a for s in certificate_policy(template).values() if s["Effect"] == "Allow" for a in _actions(s)}

    # RequestCertificate with Tags also needs acm:AddTagsToCertificate (a dependent action).
    assert granted == custom_domain_actions_called_by_the_code() | {"acm:AddTagsToCertificate"}
    assert custom_domain_actions_called_by_the_code() == {
        "acm:RequestCertificate",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "acm:DeleteCertificate",
        "acm:ListTagsForCertificate",
        "route53:GetHostedZone",
        "route53:ListResourceRecordSets",
        "route53:ChangeResourceRecordSets",
    }


def test_acm_actions_are_limited_to_us_east_1_and_route53_actions_to_the_given_zone(
    template: dict[str, Any],
) -> None:
    statements = certificate_policy(template)
    us_east_1_certificates = {"Fn::Sub": "arn:${AWS::Partition}:acm:us-east-1:${AWS::AccountId}:certificate/*"}

    for statement in statements.values():
        actions = _actions(statement)
        if all(a.startswith("route53:") for a in actions):
            assert statement["Resource"] == {"Fn::Sub": "arn:${AWS::Partition}:route53:::hostedzone/${HostedZoneId}"}
        elif statement["Resource"] == "*":
            # No certificate ARN to scope by: held to us-east-1 by condition instead.
            assert statement["Condition"]["StringEquals"]["aws:RequestedRegion"] == "us-east-1"
        else:
            assert statement["Resource"] == us_east_1_certificates
    request = statements["RequestDnsValidatedCertificatesInUsEast1"]
    assert request["Condition"]["StringEquals"]["acm:ValidationMethod"] == "DNS"


def test_custom_domain_gets_the_requested_certificate_only_when_none_is_given(template: dict[str, Any]) -> None:
    conditions = template["Conditions"]
    certificate = template["Resources"]["DomainCertificate"]
    arn = template["Resources"]["HostedUIDomain"]["Properties"]["CertificateArn"]

    assert conditions["RequestsCertificate"] == {
        "Fn::And": [{"Condition": "WritesAliasRecords"}, {"Fn::Not": [{"Condition": "HasGivenCertificate"}]}]
    }
    assert conditions["WritesAliasRecords"] == {
        "Fn::And": [{"Condition": "HasCustomDomain"}, {"Condition": "HasHostedZone"}]
    }
    assert certificate["Condition"] == "RequestsCertificate"
    assert certificate["Properties"]["DomainName"] == {"Ref": "CustomDomainName"}
    assert certificate["Properties"]["HostedZoneId"] == {"Ref": "HostedZoneId"}
    assert arn["Fn::If"][1] == {
        "Fn::If": [
            "RequestsCertificate",
            {"Fn::GetAtt": ["DomainCertificate", "CertificateArn"]},
            {"Ref": "CustomDomainCertificateArn"},
        ]
    }
    assert template["Parameters"]["HostedZoneId"]["Default"] == ""


def test_alias_a_and_aaaa_records_point_the_name_to_cognitos_cloudfront_distribution(
    template: dict[str, Any],
) -> None:
    records = resources_of_type(template, "AWS::Route53::RecordSet")

    assert sorted(r["Properties"]["Type"] for r in records.values()) == ["A", "AAAA"]
    for record in records.values():
        properties = record["Properties"]
        assert record["Condition"] == "WritesAliasRecords"
        assert (properties["Name"], properties["HostedZoneId"]) == (
            {"Ref": "CustomDomainName"},
            {"Ref": "HostedZoneId"},
        )
        # CloudFront's alias hosted zone id, the same for every distribution.
        assert properties["AliasTarget"] == {
            "DNSName": {"Fn::GetAtt": ["HostedUIDomain", "CloudFrontDistribution"]},
            "HostedZoneId": "Z2FDTNDATAQYW2",
            "EvaluateTargetHealth": False,
        }


def test_branding_images_are_read_only_from_the_named_buckets_and_not_at_all_by_default(
    template: dict[str, Any],
) -> None:
    policy = template["Resources"]["ProviderBrandingAssetsPolicy"]
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    variables = template["Resources"]["ProviderFunction"]["Properties"]["Environment"]["Variables"]

    assert template["Parameters"]["BrandingAssetBuckets"]["Default"] == ""
    assert template["Conditions"]["ReadsBrandingAssets"] == {
        "Fn::Not": [{"Fn::Equals": [{"Fn::Join": ["", {"Ref": "BrandingAssetBuckets"}]}, ""]}]
    }
    assert policy["Condition"] == "ReadsBrandingAssets"
    assert statement["Action"] == "s3:GetObject"
    assert "BrandingAssetBuckets" in str(statement["Resource"])
    assert variables["BRANDING_ASSET_BUCKETS"] == {"Fn::Join": [",", {"Ref": "BrandingAssetBuckets"}]}
