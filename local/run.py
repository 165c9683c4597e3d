"""``make local``: the whole stack on this machine, no AWS account, nothing but 127.0.0.1.

1. starts moto in server mode with the faithful Cognito double on a free port;
2. brings template.yaml up as CloudFormation would (native pool and client from the
   template's own properties and parameter defaults, custom resources through
   src/handler.py with real CloudFormation events and a local HTTPS response URL);
3. prints the stack outputs as a table and as JSON;
4. signs a test user up, confirms it and signs it in with the real AWS CLI (with a
   template such as examples/nested, through the first nested stack that has a pool
   and a client), then proves the JwksUrl and Issuer outputs against the local
   endpoint: the keys at JwksUrl verify the IdToken's signature, and its ``iss`` is
   Issuer (local/token_check.py);
5. updates the stack: a new domain prefix and one more callback URL, which is an
   Update with replacement, then the cleanup Delete of the old domain;
6. forces an update that the resource refuses (a prefix with the reserved word
   "aws", which the template's AllowedPattern lets through) and shows the rollback;
7. deletes the stack and 8. checks that nothing is left (or, with --keep, leaves the
   endpoint and the stack running and prints how to use them: make invoke, make local-stop).

Every CloudFormation event is printed as it happens: time, status, logical id
(type), reason. ``--template`` brings another template up; ``--parameter KEY=VALUE``
(repeatable) overrides a parameter of the created stack.

With ``--custom-domain auth.example.test`` (``make local CUSTOM_DOMAIN=...``) the
stack gets a custom domain the way ``sam deploy`` with ``CustomDomainName`` and
``HostedZoneId`` does: a hosted zone for the parent is made in the local Route 53
(with the parent's A record, which Cognito requires), the certificate is requested
and validated through the zone, the domain goes CREATING → ACTIVE, the alias
records are written; each line carries the time since the stack started, and the
teardown checks that no certificate, record or domain is left.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from local.aws_cli import TEST_PASSWORD, TEST_USER, LocalRunError, admin_sign_in, aws_cli
from local.function_log import function_log
from local.previews import run_previews

if TYPE_CHECKING:
    from local.local_cloudformation import LocalCloudFormation

ROOT = Path(__file__).resolve().parents[1]
STATE_DIR = ROOT / ".local-run"
REGION = "us-east-1"
STEPS = 8
FAILING_PREFIX = "notes-aws-demo"  # matches DomainPrefix's AllowedPattern; Cognito reserves "aws"
EXTRA_CALLBACK_URL = "http://localhost:5173/"


def step(number: int, text: str) -> None:
    print(f"\n[{number}/{STEPS}] {text}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_endpoint(keep: bool) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    STATE_DIR.mkdir(exist_ok=True)
    # The endpoint's own log goes to a file: with --keep it outlives this command
    # and must not hold on to (or write into) the terminal or a caller's pipe.
    with (STATE_DIR / "endpoint.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "local.faithful_server", str(port)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=keep,
        )
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("READY "):
            return process, line.split()[1]
        if process.poll() is not None:
            break
        print("  ...waiting for the endpoint", flush=True)
    process.kill()
    raise LocalRunError("the local moto endpoint did not start within 60 seconds; see .local-run/endpoint.log")


def local_environment(endpoint: str, ca_bundle: Path) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CA_BUNDLE": str(ca_bundle),
    }


@contextmanager
def response_endpoint() -> Iterator[tuple[Any, Path]]:
    from local.response_server import ResponseServer
    from local.tls import write_loopback_certificate

    directory = Path(tempfile.mkdtemp(prefix="cfn-responses-"))
    cert, key = write_loopback_certificate(directory)
    server = ResponseServer(cert, key).start()
    try:
        yield server, cert
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def print_outputs(outputs: dict[str, str]) -> None:
    width = max(len(name) for name in outputs)
    print(f"  {'Output'.ljust(width)}  Value")
    print(f"  {'-' * width}  {'-' * 40}")
    for name, value in outputs.items():
        print(f"  {name.ljust(width)}  {value}")
    print("\n  As JSON:")
    print("  " + json.dumps(outputs, indent=2).replace("\n", "\n  "))


def sign_up_and_sign_in(outputs: dict[str, str]) -> dict[str, Any]:
    pool_id, client_id = outputs["UserPoolId"], outputs["AppClientId"]
    signed_up = aws_cli(
        "sign-up",
        "--client-id", client_id,
        "--username", TEST_USER,
        "--password", TEST_PASSWORD,
        "--user-attributes", f"Name=email,Value={TEST_USER}",
    )  # fmt: skip
    print(f"    UserSub: {signed_up.get('UserSub')}  confirmed: {signed_up.get('UserConfirmed')}")
    aws_cli("admin-confirm-sign-up", "--user-pool-id", pool_id, "--username", TEST_USER)
    print("    confirmed")
    tokens = admin_sign_in(pool_id, client_id)
    for name in ("IdToken", "AccessToken", "RefreshToken"):
        if not tokens.get(name):
            raise LocalRunError(f"sign-in returned no {name}")
        print(f"    {name}: {tokens[name][:24]}… ({len(tokens[name])} characters)")
    return dict(tokens)


def prove_token_outputs(id_token: str, outputs: dict[str, str], endpoint: str) -> None:
    from local.token_check import TokenCheckError, local_url, verify_id_token

    print(f"  JwksUrl {outputs['JwksUrl']}")
    print(f"    asked locally as {local_url(outputs['JwksUrl'], endpoint)}")
    try:
        claims = verify_id_token(id_token, outputs, endpoint)
    except TokenCheckError as failure:
        raise LocalRunError(str(failure)) from failure
    print("    the IdToken's RS256 signature verifies with these keys")
    print(f"  iss {claims['iss']}")
    print("    equals the Issuer output")


def timed(started: float) -> Any:
    """A report function that prefixes each line with the seconds since ``started``."""
    return lambda line: print(f"  [{time.monotonic() - started:6.1f} s]{line}", flush=True)


def prepare_zone(route53: Any, custom_domain: str) -> str:
    """The parent's public hosted zone in the local Route 53, with the parent's A record; its id."""
    parent = custom_domain.split(".", 1)[1]
    zone = route53.create_hosted_zone(Name=parent, CallerReference=f"make-local-{time.time()}")["HostedZone"]
    zone_id = str(zone["Id"]).rsplit("/", 1)[-1]
    record = {"Name": f"{parent}.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]}
    )
    print(f"  hosted zone {zone_id} ({parent}) with the A record {parent} -> 192.0.2.10 the parent needs")
    return zone_id


def zone_records(route53: Any, zone_id: str) -> list[tuple[str, str]]:
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return [(str(r["Name"]), str(r["Type"])) for r in records if r["Type"] not in ("NS", "SOA")]


def print_custom_domain(acm: Any, route53: Any, cognito: Any, zone_id: str, outputs: dict[str, str]) -> None:
    certificate = acm.describe_certificate(CertificateArn=outputs["CustomDomainCertificateArn"])["Certificate"]
    domain = cognito.describe_user_pool_domain(Domain=outputs["Domain"])["DomainDescription"]
    print(f"  certificate {certificate['CertificateArn']} in us-east-1: {certificate['Status']}")
    print(f"  domain {outputs['Domain']}: {domain['Status']}, distribution {domain['CloudFrontDistribution']}")
    for name, record_type in zone_records(route53, zone_id):
        print(f"  record {name} {record_type}")


def check_custom_domain_left(acm: Any, route53: Any, zone_id: str, custom_domain: str) -> None:
    certificates = [c for c in acm.list_certificates()["CertificateSummaryList"] if c["DomainName"] == custom_domain]
    if certificates:
        raise LocalRunError(f"certificate {certificates[0]['CertificateArn']} is still there after the delete")
    parent = custom_domain.split(".", 1)[1]
    left = [record for record in zone_records(route53, zone_id) if record != (f"{parent}.", "A")]
    if left:
        raise LocalRunError(f"records {left} are still in hosted zone {zone_id} after the delete")
    print(f"  nothing left: no certificate for {custom_domain}, no validation or alias record in {zone_id}")
    record = {"Name": f"{parent}.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": record}]}
    )
    route53.delete_hosted_zone(Id=zone_id)
    print(f"  hosted zone {zone_id} deleted")


def check_nothing_left(cognito: Any, domains: list[str]) -> None:
    """The endpoint is this run's own: after the delete it holds no pool, and none of the run's domains."""
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    if pools:
        raise LocalRunError(f"user pools are still there after the delete: {', '.join(p['Id'] for p in pools)}")
    for domain in domains:
        if cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"]:
            raise LocalRunError(f"domain {domain} is still there after the delete")
    print(f"  nothing left: no user pool, no domain ({', '.join(domains) or 'none created'})")
    import boto3

    # The owner records of the app clients' settings (src/aws/records.py) go with their resources.
    owners = boto3.client("ssm", region_name=REGION).get_parameters_by_path(
        Path="/cognito-hosted-ui-resources/client-owners", Recursive=True
    )["Parameters"]
    if owners:
        raise LocalRunError(f"owner records are still there after the delete: {[p['Name'] for p in owners]}")
    print("  nothing left: no owner record of an app client's settings")


def protected_pools(cognito: Any) -> list[str]:
    """The ids of the endpoint's user pools with DeletionProtection ACTIVE (the endpoint is this run's own)."""
    pools = [summary["Id"] for summary in cognito.list_user_pools(MaxResults=60)["UserPools"]]
    return [
        pool_id
        for pool_id in pools
        if cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("DeletionProtection") == "ACTIVE"
    ]


def release_protected_pools(cognito: Any, pools: list[str]) -> None:
    """A pool with DeletionProtection ACTIVE fails its delete, as in AWS; turn it off and delete it (as you would)."""
    for pool_id in pools:
        print(f"  {pool_id} has DeletionProtection ACTIVE, so its delete failed (as in AWS);")
        print("  make local turns protection off and deletes it, so that nothing is left")
        cognito.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
        cognito.delete_user_pool(UserPoolId=pool_id)


def print_keep_instructions(endpoint: str, process: subprocess.Popen[str], outputs: dict[str, str]) -> None:
    from local.kept_endpoint import KeptEndpoint

    KeptEndpoint(endpoint, process.pid, outputs).save()
    print("\nThe endpoint keeps running. To use it from a shell:\n")
    print(f"  export AWS_ENDPOINT_URL={endpoint}")
    print("  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_SESSION_TOKEN=local")
    print(f"  export AWS_DEFAULT_REGION={REGION}")
    if {"UserPoolId", "Domain", "AppClientId"} <= set(outputs):
        print(f"  .venv/bin/aws cognito-idp describe-user-pool --user-pool-id {outputs['UserPoolId']}")
        print(f"  .venv/bin/aws cognito-idp describe-user-pool-domain --domain {outputs['Domain']}")
        print(f"  .venv/bin/aws cognito-idp describe-user-pool-client --user-pool-id {outputs['UserPoolId']} "
              f"--client-id {outputs['AppClientId']}")  # fmt: skip
    print("\nRun a sample event against it: make invoke EVENT=events/domain-create.json")
    print(f"Stop it with: make local-stop   (or kill {process.pid}; the state is in .local-run/)")


def bring_up_embed_example(engine: Any, provider_stack: str) -> None:
    """examples/embed: an existing stack's own pool, given a domain and OAuth settings via the exported token."""
    import uuid

    template = ROOT / "examples" / "embed" / "template.yaml"
    name = f"{provider_stack}-embed"
    overrides = {"ProviderStackName": provider_stack, "DomainPrefix": f"team-{uuid.uuid4().hex[:12]}"}
    print(f"  Creating stack {name} from {template.relative_to(ROOT)} (ServiceToken through Fn::ImportValue)")
    stack = engine.create_stack(name, template, overrides)
    print_outputs(stack.outputs)
    failures = engine.delete_stack(stack)
    if failures:
        raise LocalRunError("deleting the embed example failed: " + "; ".join(failures))
    print(f"  {name} deleted")


def sign_in_outputs(stack: Any) -> tuple[str, dict[str, str]] | None:
    """The outputs with a pool and a client to sign in to: the stack's own, or its first nested stack's."""
    wanted = {"UserPoolId", "AppClientId"}
    if wanted <= set(stack.outputs):
        return stack.name, stack.outputs
    for resource in stack.resources:
        if resource.nested_stack is not None and wanted <= set(resource.nested_stack.outputs):
            return f"{resource.logical_id} (nested stack {resource.nested_stack.name})", resource.nested_stack.outputs
    return None


def can_update(stack: Any) -> str:
    """Why the update steps cannot run on this stack ("" when they can)."""
    parameters = stack.template.get("Parameters", {})
    if not {"DomainPrefix", "CallbackURLs"} <= set(parameters):
        return "the template has no DomainPrefix and CallbackURLs parameters to change"
    if stack.parameters.get("CustomDomainName"):
        return "the stack uses a custom domain"
    return ""


def print_end_state(cognito: Any, stack: Any, gone: list[str]) -> None:
    outputs = stack.outputs
    print(f"  Domain {outputs['Domain']}: {describe_domain(cognito, outputs['Domain'])}")
    for name in gone:
        print(f"  Domain {name}: {describe_domain(cognito, name)}")
    client = cognito.describe_user_pool_client(UserPoolId=outputs["UserPoolId"], ClientId=outputs["AppClientId"])
    print(f"  App client CallbackURLs: {', '.join(client['UserPoolClient'].get('CallbackURLs', []))}")
    print(f"  Output HostedUIBaseUrl: {outputs['HostedUIBaseUrl']}")


def describe_domain(cognito: Any, name: str) -> str:
    description = cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]
    if not description:
        return "does not exist"
    return f"{description['Status']} in {description['UserPoolId']}"


def with_url(urls: list[str], url: str) -> str:
    """The CommaDelimitedList value with ``url`` added once: Cognito's URL lists are sets, a repeat is refused."""
    return ",".join(dict.fromkeys([*urls, url]))


def update_phases(engine: Any, cognito: Any, stack: Any) -> list[str]:
    """Steps 5 and 6; returns every domain name the stack held."""
    old_domain = stack.outputs["Domain"]
    new_prefix = f"{old_domain}-v2"
    callbacks = with_url(stack.context.parameters["CallbackURLs"], EXTRA_CALLBACK_URL)
    step(5, f"Updating the stack: DomainPrefix={new_prefix}, CallbackURLs={callbacks}")
    started = time.monotonic()
    engine.update_stack(stack, {"DomainPrefix": new_prefix, "CallbackURLs": callbacks})
    print(f"  UPDATE_COMPLETE in {time.monotonic() - started:.1f} s. End state:")
    print_end_state(cognito, stack, [old_domain])
    step(6, f"A failed update and its rollback: DomainPrefix={FAILING_PREFIX} (Cognito reserves 'aws')")
    started = time.monotonic()
    try:
        engine.update_stack(
            stack,
            {"DomainPrefix": FAILING_PREFIX, "CallbackURLs": with_url(callbacks.split(","), "http://localhost:8080/")},
        )
    except Exception as failure:
        print(f"  UPDATE_ROLLBACK_COMPLETE in {time.monotonic() - started:.1f} s (the update failed: {failure})")
    else:
        raise LocalRunError(f"the update to DomainPrefix={FAILING_PREFIX} was expected to fail, and succeeded")
    print("  End state (what it was before the failed update):")
    print_end_state(cognito, stack, [FAILING_PREFIX])
    return [old_domain, stack.outputs["Domain"]]


# With --custom-domain: the custom domain stays CREATING this long (scaled by
# LOCAL_COGNITO_TIME_SCALE), and the function's invocations are this short, so the first
# one hands the change over (45 s of the 50 are kept back for it) and a poll answers.
CUSTOM_DOMAIN_CREATING_SECONDS = 20
HANDING_OVER_FUNCTION_SECONDS = 50.0


def local_engine(cognito: Any, route53: Any, responses: Any, report: Any) -> LocalCloudFormation:
    """The local CloudFormation, invoking the handler with DNS answered by the local Route 53."""
    import handler
    from local.local_cloudformation import LocalCloudFormation
    from local.local_dns import local_ops_factory
    from local.time_scale import ScaledClock, time_scale

    ops_factory = local_ops_factory(route53)
    clock = ScaledClock(time_scale())

    def invoke(event: dict[str, Any], context: Any) -> None:
        scaled = clock.context(context.timeout_seconds, context.function_name)
        handler.handler(event, scaled, ops_factory=ops_factory, clock=clock)

    return LocalCloudFormation(
        cognito,
        responses,
        invoke,
        region=REGION,
        report=report,
        route53=route53,
        clock=clock.time,
    )


def print_branding(cognito: Any, outputs: dict[str, str]) -> None:
    """With managed login, the app client's branding style, as Cognito describes it (README, "Managed login")."""
    if not outputs.get("ManagedLoginBrandingId"):
        return
    style = cognito.describe_managed_login_branding_by_client(
        UserPoolId=outputs["UserPoolId"], ClientId=outputs["AppClientId"]
    )["ManagedLoginBranding"]
    print(
        f"  App client {outputs['AppClientId']} has managed login branding style {style['ManagedLoginBrandingId']}"
        f" (Cognito's provided values: {style.get('UseCognitoProvidedValues', False)})"
    )


def sign_in_step(stack: Any, template: Path, endpoint: str) -> tuple[str, dict[str, str]] | None:
    """Step 4: sign in through the stack's outputs (or a nested stack's), and prove the token outputs."""
    target = sign_in_outputs(stack)
    if target is None:
        print(f"  skipped: {template.name} has no UserPoolId and AppClientId outputs, nor a nested stack with them")
        return None
    print(f"  through the outputs of {target[0]}")
    tokens = sign_up_and_sign_in(target[1])
    if "JwksUrl" in target[1]:
        prove_token_outputs(tokens["IdToken"], target[1], endpoint)
    return target


def delete_step(engine: Any, cognito: Any, stack: Any) -> None:
    protected = protected_pools(cognito)
    if protected:
        print(f"  Planned: {', '.join(protected)} has DeletionProtection ACTIVE (the template sets it), so its")
        print("  delete fails with DELETE_FAILED, as in AWS; make local then turns protection off and deletes it")
    deleting = time.monotonic()
    failures = engine.delete_stack(stack)
    if failures and protected and all("deletion protection is activated" in f for f in failures):
        print("  The DELETE_FAILED above was that planned deletion-protection step, not a fault:")
        release_protected_pools(cognito, protected)
    elif failures:
        raise LocalRunError("delete failed: " + "; ".join(failures))
    print(f"  DELETE_COMPLETE in {time.monotonic() - deleting:.1f} s")


def run(  # noqa: PLR0915 (the steps of one run, in the order it prints them)
    keep: bool,
    template: Path,
    stack_name: str,
    overrides: dict[str, str],
    with_embed: bool = False,
    custom_domain: str | None = None,
    previews: int = 0,
    quiet: bool = False,
) -> dict[str, str]:
    step(1, "Starting a local Cognito endpoint (moto server + the faithful double) on 127.0.0.1")
    if custom_domain:
        # A custom domain CREATING longer than the function's first invocation waits: the
        # run shows the hand-over to a scheduled poll, and the poll's answer.
        os.environ.setdefault("LOCAL_CUSTOM_DOMAIN_SECONDS", str(CUSTOM_DOMAIN_CREATING_SECONDS))
    process, endpoint = start_endpoint(keep)
    print(f"  {endpoint}")
    try:
        with response_endpoint() as (responses, ca_bundle), function_log(STATE_DIR / "function.log", quiet):
            os.environ.update(local_environment(endpoint, ca_bundle))
            sys.path.insert(0, str(ROOT / "src"))
            import boto3

            cognito = boto3.client("cognito-idp", region_name=REGION)
            route53 = boto3.client("route53", region_name=REGION)
            acm = boto3.client("acm", region_name=REGION)
            step(2, f"Creating stack {stack_name} from {template.relative_to(ROOT)}")
            started = time.monotonic()
            engine = local_engine(cognito, route53, responses, timed(started) if custom_domain else print)
            if custom_domain:
                engine.function_timeout = HANDING_OVER_FUNCTION_SECONDS
            zone_id = ""
            if custom_domain:
                zone_id = prepare_zone(route53, custom_domain)
                overrides = {**overrides, "CustomDomainName": custom_domain, "HostedZoneId": zone_id}
            stack = engine.create_stack(stack_name, template, overrides)
            print(f"  CREATE_COMPLETE in {time.monotonic() - started:.1f} s")
            if custom_domain:
                print_custom_domain(acm, route53, cognito, zone_id, stack.outputs)
            step(3, "Stack outputs")
            print_outputs(stack.outputs)
            print_branding(cognito, stack.outputs)
            step(4, "Signing a test user up and in with the AWS CLI")
            target = sign_in_step(stack, template, endpoint)
            if with_embed:
                print("\n  The embed example, using this stack's exported ServiceToken:")
                bring_up_embed_example(engine, stack_name)
            if previews:
                run_previews(engine, cognito, stack, previews)
            reason = can_update(stack)
            domains = update_phases(engine, cognito, stack) if not reason else []
            if reason:
                step(5, f"Skipping the update steps 5 and 6: {reason}")
            if keep:
                step(7, "Keeping the stack (--keep)")
                print_keep_instructions(endpoint, process, stack.outputs)
                return stack.outputs
            step(7, "Deleting the stack")
            delete_step(engine, cognito, stack)
            step(8, "Checking that nothing is left")
            check_nothing_left(cognito, domains or ([target[1]["Domain"]] if target and "Domain" in target[1] else []))
            if custom_domain:
                check_custom_domain_left(acm, route53, zone_id, custom_domain)
            return stack.outputs
    finally:
        if not keep:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="leave the endpoint and the stack running")
    parser.add_argument("--template", type=Path, default=ROOT / "template.yaml", help="the template to bring up")
    parser.add_argument("--stack-name", default="notes-app-local")
    parser.add_argument(
        "--parameter", action="append", default=[], metavar="KEY=VALUE", help="override a parameter (repeatable)"
    )
    parser.add_argument("--with-embed-example", action="store_true", help="also bring up examples/embed against it")
    parser.add_argument("--custom-domain", metavar="NAME", help="a custom domain such as auth.example.test, end to end")
    parser.add_argument(
        "--previews", type=int, default=0, metavar="N", help="also bring up N preview stacks (local/previews.py)"
    )
    parser.add_argument("--quiet", action="store_true", help="print the function's warnings only, not its JSON log")
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.parameter)
    started = time.monotonic()
    try:
        run(
            args.keep,
            args.template.resolve(),
            args.stack_name,
            overrides,
            args.with_embed_example,
            args.custom_domain,
            args.previews,
            args.quiet,
        )
    except Exception as failure:
        print(f"\nmake local FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"\nmake local: all steps succeeded in {time.monotonic() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
