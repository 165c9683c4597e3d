"""template.yaml says what the issues promise: the resources, their settings, the outputs, the policy.

The policy is checked by behaviour: what the code calls during a run of every
resource lifecycle against the double must be granted, and nothing more.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from aws import clients as aws_clients
from aws.records import DOMAIN_PARAMETER_PREFIX, PARAMETER_PREFIX
from local.cfn_yaml import load_template
from tests.support.harness import CloudFormation, UserPool

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
    # The code follows Lambda's own level (AWS_LAMBDA_LOG_LEVEL): no second setting to keep in step.
    assert "LOG_LEVEL" not in properties["Environment"]["Variables"]


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


def test_owner_records_are_granted_under_their_path_only(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ProviderFunction"]["Properties"]["Policies"][0]["Statement"]
    (statement,) = [s for s in statements if s["Sid"] == "RecordClientSettingsOwners"]

    paths = sorted(resource["Fn::Sub"].rsplit(":parameter", 1)[1] for resource in statement["Resource"])
    assert paths == [f"{PARAMETER_PREFIX}/*", f"{DOMAIN_PARAMETER_PREFIX}/*"]


def test_url_contributions_are_granted_under_their_path_only(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ProviderFunction"]["Properties"]["Policies"][0]["Statement"]
    (statement,) = [s for s in statements if s["Sid"] == "RecordClientURLContributions"]

    assert set(statement["Action"]) == {"ssm:GetParametersByPath", "ssm:PutParameter", "ssm:DeleteParameter"}
    assert statement["Resource"]["Fn::Sub"].rsplit(":parameter", 1)[1] == "/cognito-hosted-ui-resources/client-urls/*"


def test_certificate_reads_are_granted_for_us_east_1_certificates_only(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ProviderFunction"]["Properties"]["Policies"][0]["Statement"]
    (statement,) = [s for s in statements if s["Sid"] == "ReadCustomDomainCertificates"]

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


def test_slow_changes_are_granted_their_record_path_their_schedule_group_and_nothing_else(
    template: dict[str, Any],
) -> None:
    statements = template["Resources"]["ProviderPollingPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    by_sid = {s["Sid"]: s for s in statements}

    assert set(by_sid["RecordChangesInFlight"]["Action"]) == {
        "ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter", "ssm:GetParametersByPath"
    }  # fmt: skip
    (path,) = by_sid["RecordChangesInFlight"]["Resource"]
    assert path["Fn::Sub"].endswith(":parameter/cognito-hosted-ui-resources/changes/*")
    assert set(by_sid["ScheduleTheNextLook"]["Action"]) == {"scheduler:CreateSchedule", "scheduler:DeleteSchedule"}
    assert by_sid["ScheduleTheNextLook"]["Resource"]["Fn::Sub"].endswith(":schedule/${ProviderPollSchedules}/*")
    assert by_sid["LetSchedulerInvokeThisFunction"]["Resource"] == {"Fn::GetAtt": ["ProviderPollSchedulerRole", "Arn"]}
    assert by_sid["LetSchedulerInvokeThisFunction"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}
    }
    # No EventBridge rules, no edits of the function's resource policy.
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert not any(action.startswith(("events:", "lambda:")) for action in actions)


def test_the_scheduler_role_may_only_invoke_this_function_for_this_accounts_group(template: dict[str, Any]) -> None:
    role = template["Resources"]["ProviderPollSchedulerRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {
        "aws:SourceAccount": {"Ref": "AWS::AccountId"},
        "aws:SourceArn": {"Fn::GetAtt": ["ProviderPollSchedules", "Arn"]},
    }
    invoke = template["Resources"]["ProviderPollInvokePolicy"]["Properties"]
    assert invoke["Roles"] == [{"Ref": "ProviderPollSchedulerRole"}]
    (statement,) = invoke["PolicyDocument"]["Statement"]
    assert (statement["Action"], statement["Resource"]) == (
        "lambda:InvokeFunction",
        {"Fn::GetAtt": ["ProviderFunction", "Arn"]},
    )
    for name in ("HostedUIDomain", "AppClientSettings"):
        assert {"ProviderPollingPolicy", "ProviderPollInvokePolicy"} <= set(template["Resources"][name]["DependsOn"])


def certificate_policy(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    policy = template["Resources"]["ProviderCertificatePolicy"]
    assert policy["Condition"] == "RequestsCertificate"
    assert policy["Properties"]["Roles"] == [{"Ref": "ProviderFunctionRole"}]
    return {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}


def _actions(statement: dict[str, Any]) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


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


# --- IAM: every call the code makes is granted, and nothing else -----------------
#
# A representative run drives every resource type through Create, Update and Delete
# against the double, through the handler as CloudFormation would, and records each
# (IAM action, resource) the code's own boto3 clients call. Each is then checked
# against template.yaml's policies for the provider function, resolved for this run's
# stack (its user pool, its hosted zone). The polling policy counts for what is
# granted, not for what must be called: this run answers every request in its own
# invocation, and the actions only a hand-over calls are
# test_polling_permissions_are_limited_to_rules_and_the_function_itself's to check.

ACCOUNT = "123456789012"  # moto's account
REGION = "us-east-1"
CERTIFICATE = "Custom::CognitoDomainCertificate"
DOMAIN = "Custom::CognitoUserPoolDomain"
SETTINGS = "Custom::CognitoUserPoolClientSettings"
# Actions granted for paths this run cannot reach; each says why. Empty: the run reaches them all.
GRANTED_BUT_NOT_REACHED: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Call:
    action: str
    resource: str  # the ARN it acts on; "*" when the call names none
    region: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)


def resource_of(region: str, params: dict[str, Any]) -> str:
    """The ARN a call acts on, from the parameters IAM scopes it by."""
    if "UserPoolId" in params:
        return f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{params['UserPoolId']}"
    if "CertificateArn" in params:
        return str(params["CertificateArn"])
    zone = params.get("HostedZoneId") or params.get("Id")
    if zone:
        return f"arn:aws:route53:::hostedzone/{str(zone).removeprefix('/hostedzone/')}"
    parameter = params.get("Name") or params.get("Path")  # GetParametersByPath: the path
    if parameter:
        return f"arn:aws:ssm:{region}:{ACCOUNT}:parameter{parameter}"
    return "*"


def dependent_calls(call: Call, params: dict[str, Any]) -> list[Call]:
    """Actions IAM also checks for a call, on the caller's behalf."""
    extra = []
    if call.action == "acm:RequestCertificate" and params.get("Tags"):
        # ACM user guide, "Tagging resources": tags given at request time also need
        # acm:AddTagsToCertificate, on the certificate being requested.
        requested = f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/(requested)"
        extra.append(Call("acm:AddTagsToCertificate", requested, REGION))
    custom_domain_write = call.action in ("cognito-idp:CreateUserPoolDomain", "cognito-idp:UpdateUserPoolDomain")
    if custom_domain_write and params.get("CustomDomainConfig"):
        # Developer guide, "Using your own domain": adding a custom domain needs
        # cloudfront:UpdateDistribution; the distribution is Cognito's, with no ARN of ours.
        extra.append(Call("cloudfront:UpdateDistribution", "*", call.region))
    return extra


class CallRecorder:
    """Every call of the boto3 clients made while it is installed, as (IAM action, resource)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        make_client = boto3.client

        def recording_client(*args: Any, **kwargs: Any) -> Any:
            client = make_client(*args, **kwargs)
            region = client.meta.region_name

            def record(model: Any, params: dict[str, Any], **_: Any) -> None:
                action = f"{model.service_model.signing_name}:{model.name}"
                flat = tuple((k, str(v)) for k, v in params.items() if isinstance(v, str))
                call = Call(action, resource_of(region, params), region, flat)
                self.calls.extend([call, *dependent_calls(call, params)])

            client.meta.events.register("before-parameter-build", record)
            return client

        # aws/clients.py makes every client of the code with boto3.client, on first use.
        aws_clients.forget_clients()
        monkeypatch.setattr(boto3, "client", recording_client)


def resolved(value: Any, names: dict[str, str], conditions: dict[str, bool]) -> list[str]:
    """A policy's Resource, as CloudFormation would resolve it for this run's stack."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for element in value for item in resolved(element, names, conditions)]
    (function, argument), *_ = value.items()
    if function == "Fn::Sub":
        return [re.sub(r"\$\{([^}]+)\}", lambda match: names[match.group(1)], argument)]
    if function == "Fn::GetAtt":
        return [names[".".join(argument)]]
    if function == "Fn::If":
        condition, when_true, when_false = argument
        return resolved(when_true if conditions[condition] else when_false, names, conditions)
    raise AssertionError(f"teach resolved() {function}")


def condition_holds(condition: dict[str, Any], call: Call) -> bool:
    for operator, keys in condition.items():
        assert operator == "StringEquals", f"teach condition_holds() {operator}"
        for key, wanted in keys.items():
            seen = {"aws:RequestedRegion": call.region, "acm:ValidationMethod": call.param("ValidationMethod")}
            assert key in seen, f"teach condition_holds() {key}"
            if seen[key] != wanted:
                return False
    return True


def provider_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The function's own policies: its inline one, and the certificate policy (when a certificate is requested)."""
    inline = template["Resources"]["ProviderFunction"]["Properties"]["Policies"][0]["Statement"]
    return [*inline, *certificate_policy(template).values()]


def polling_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = template["Resources"]["ProviderPollingPolicy"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    return statements


def grants(statement: dict[str, Any], call: Call, names: dict[str, str]) -> bool:
    if statement["Effect"] != "Allow" or call.action not in _actions(statement):
        return False
    resources = resolved(statement["Resource"], names, {"HasExtraManagedPools": False})
    return any(fnmatch.fnmatchcase(call.resource, pattern) for pattern in resources) and condition_holds(
        statement.get("Condition", {}), call
    )


@pytest.fixture
def zone(route53: Any) -> str:
    """example.net, public, with the A record its parent domain needs."""
    zone_id = str(route53.create_hosted_zone(Name="example.net", CallerReference="iam")["HostedZone"]["Id"])
    zone_id = zone_id.rsplit("/", maxsplit=1)[-1]
    record = {"Name": "example.net.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]}
    )
    return zone_id


def run_every_lifecycle(cfn: CloudFormation, pool: UserPool, zone: str) -> None:
    """Create, Update and Delete of each resource type, as template.yaml uses them."""

    def send(event: dict[str, Any]) -> str:
        answer = cfn.send(event)
        assert answer["Status"] == "SUCCESS", answer.get("Reason")
        return str(answer["PhysicalResourceId"])

    certificate = {"DomainName": "auth.example.net", "HostedZoneId": zone}
    arn = send(cfn.events.create(CERTIFICATE, "DomainCertificate", certificate))
    send(cfn.events.update(CERTIFICATE, "DomainCertificate", arn, certificate, certificate))
    domain = {"UserPoolId": pool.id, "Domain": "auth.example.net", "CertificateArn": arn, "ManagedLoginVersion": "2"}
    name = send(cfn.events.create(DOMAIN, "HostedUIDomain", {**domain, "ManagedLoginVersion": "1"}))
    send(cfn.events.update(DOMAIN, "HostedUIDomain", name, domain, {**domain, "ManagedLoginVersion": "1"}))
    settings = {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "CallbackURLs": ["https://app.example.com/"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "notes-api/read"],
        "SupportedIdentityProviders": ["COGNITO", "Google"],
        "Domain": name,
        "ManagedLoginVersion": "2",
    }
    client = send(cfn.events.create(SETTINGS, "AppClientSettings", settings))
    send(cfn.events.update(SETTINGS, "AppClientSettings", client, settings, {**settings, "CallbackURLs": []}))
    # Branding as code: the default style the Create gave the client, changed in place.
    branded = {
        **settings,
        "ManagedLoginBranding": "custom",
        "BrandingSettings": '{"componentClasses": {"buttons": {"borderRadius": 16.0}}}',
    }
    send(cfn.events.update(SETTINGS, "AppClientSettings", client, branded, settings))
    settings = branded
    send(cfn.events.delete(SETTINGS, "AppClientSettings", client, settings))
    send(cfn.events.delete(DOMAIN, "HostedUIDomain", name, domain))
    send(cfn.events.delete(CERTIFICATE, "DomainCertificate", arn, certificate))


@pytest.mark.slow
def test_policies_grant_every_call_the_code_makes_on_its_resource_and_nothing_else(
    template: dict[str, Any],
    cfn: CloudFormation,
    pool: UserPool,
    zone: str,
    cognito: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cognito.create_identity_provider(
        UserPoolId=pool.id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={"client_id": "x", "client_secret": "y", "authorize_scopes": "email"},
    )
    cognito.create_resource_server(
        UserPoolId=pool.id,
        Identifier="notes-api",
        Name="Notes API",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read notes"}],
    )
    recorder = CallRecorder()
    recorder.install(monkeypatch)
    try:
        run_every_lifecycle(cfn, pool, zone)
    finally:
        aws_clients.forget_clients()

    statements = provider_statements(template)
    names = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "HostedZoneId": zone}
    names["UserPool.Arn"] = pool.arn
    granting = [*statements, *polling_statements(template)]
    refused = {f"{c.action} on {c.resource}" for c in recorder.calls if not any(grants(s, c, names) for s in granting)}
    assert refused == set(), "called, but not granted by template.yaml"

    called = {call.action for call in recorder.calls}
    granted = {action for statement in statements for action in _actions(statement)}
    assert granted - called == GRANTED_BUT_NOT_REACHED, "granted, but never called"
    # A grant on "*" is right only for actions that name no resource of ours when called.
    called_without_resource = {call.action for call in recorder.calls if call.resource == "*"}
    on_anything = {a for s in statements if s["Resource"] == "*" for a in _actions(s)}
    assert on_anything - GRANTED_BUT_NOT_REACHED <= called_without_resource


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
