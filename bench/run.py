"""``make bench``: where the time goes, measured side by side with the alternatives.

Everything runs on this machine against moto in server mode on 127.0.0.1 with the
faithful Cognito double, and every figure is the median of several runs. It
prints one table; it asserts nothing (the test suite only checks that it runs).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
CRHELPER_SLEEP_ON_DELETE = 120.0
CRHELPER_POLLING_INTERVAL = 120.0


@dataclass
class Row:
    measure: str
    project: str
    alternative: str
    comparison: str


def median_of(runs: int, action: Callable[[], float]) -> float:
    return statistics.median(action() for _ in range(runs))


def import_seconds() -> tuple[float, float]:
    """In one fresh interpreter: seconds to import boto3, then the extra seconds to import the handler.

    Timing both in the same process keeps this VM's large run-to-run noise out of
    the ratio: what the handler adds is measured against the boto3 import it rides on.
    """
    code = (
        "import time; t = time.perf_counter(); import boto3; b = time.perf_counter() - t; "
        "t = time.perf_counter(); import handler; print(b, time.perf_counter() - t)"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
    boto3_seconds, handler_seconds = (float(part) for part in output.stdout.split())
    return boto3_seconds, handler_seconds


def cold_start(runs: int) -> Row:
    # The deployment package carries compiled bytecode (make build runs compileall):
    # /var/task is read-only, so Lambda could not cache it, and boto3 in the
    # runtime is precompiled too. Measure the same way here.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    samples = [import_seconds() for _ in range(runs)]
    boto3 = statistics.median(b for b, _ in samples)
    handler = statistics.median(b + h for b, h in samples)
    ratio = statistics.median((b + h) / b for b, h in samples)
    return Row(
        "cold start: import handler", f"{handler * 1000:.0f} ms", f"import boto3 {boto3 * 1000:.0f} ms", f"{ratio:.2f}x"
    )


@contextmanager
def local_world() -> Iterator[Any]:
    """moto server + faithful double + HTTPS response endpoint, environment set for the handler."""
    import tempfile

    from cognito_double.moto_endpoint import running_moto_endpoint
    from local.response_server import ResponseServer
    from local.tls import write_loopback_certificate

    with running_moto_endpoint() as endpoint, tempfile.TemporaryDirectory() as directory:
        cert, key = write_loopback_certificate(Path(directory))
        responses = ResponseServer(cert, key).start()
        os.environ.update(
            AWS_ENDPOINT_URL=endpoint.url,
            AWS_CA_BUNDLE=str(cert),
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",  # noqa: S106 (fake; only 127.0.0.1 is reached)
            AWS_DEFAULT_REGION="us-east-1",
            AWS_REGION="us-east-1",
            LOG_LEVEL="WARNING",
        )
        sys.path.insert(0, str(ROOT / "src"))
        try:
            yield endpoint, responses
        finally:
            responses.stop()


class Bench:
    def __init__(self, endpoint: Any, responses: Any) -> None:
        import boto3

        import handler
        from aws import clients as aws_clients
        from aws.operations import aws_operations
        from local.cfn_events import EventFactory
        from local.lambda_context import FakeLambdaContext

        self.endpoint, self.responses, self.handler = endpoint, responses, handler
        faithful = endpoint.faithful
        # These rows compare the handler's own overhead with bare boto3 calls, so
        # Cognito's own waits are taken out of both sides: prefix domains are ACTIVE
        # and deleted domains gone at once here (the tests model those waits).
        faithful.prefix_domain_delay = faithful.deletion_delay = 0.0
        faithful.issue_certificate(CERT, "*.example.com")

        def ops_factory(retry: Any) -> Any:
            # DNS answered by the double (nothing leaves 127.0.0.1): example.com resolves.
            return aws_operations(retry, resolver=faithful.resolves)

        self.ops_factory = ops_factory
        self.events = EventFactory(responses.url_for)
        self.context = FakeLambdaContext
        self.baseline: Any = boto3.client("cognito-idp")
        self.calls = 0
        client = aws_clients.cognito_client()
        client.meta.events.register("before-call.cognito-idp.*", self._count)
        self.baseline.meta.events.register("before-call.cognito-idp.*", self._count)
        # ACM and Route 53 calls of the certificate resource, counted apart.
        self.certificate_calls: list[str] = []
        for service_client in (aws_clients.aws_client("acm", "us-east-1"), aws_clients.aws_client("route53")):
            service_client.meta.events.register("before-call.*.*", self._count_certificate_call)

    def _count(self, **_: Any) -> None:
        self.calls += 1

    def _count_certificate_call(self, model: Any, **_: Any) -> None:
        self.certificate_calls.append(str(model.name))

    def pool(self) -> tuple[str, str]:
        pool_id = self.baseline.create_user_pool(PoolName=f"bench-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
        client_id = self.baseline.create_user_pool_client(UserPoolId=pool_id, ClientName="bench")["UserPoolClient"][
            "ClientId"
        ]
        return pool_id, client_id

    def handle(self, event: dict[str, Any]) -> tuple[float, int]:
        """Seconds until CloudFormation is answered, and the Cognito calls made."""
        self.calls = 0
        started = time.perf_counter()
        self.handler.handler(event, self.context(timeout_seconds=600), ops_factory=self.ops_factory)
        answer = self.responses.wait_for(event["RequestId"])
        elapsed = time.perf_counter() - started
        if answer["Status"] != "SUCCESS":
            raise RuntimeError(f"{event['RequestType']} failed: {answer['Reason']}")
        return elapsed, self.calls

    def bare(self, calls: Callable[[], None], request_id: str) -> tuple[float, int]:
        """The essential Cognito calls, plus the HTTPS PUT that any custom resource must make."""
        import json
        import urllib.request

        self.calls = 0
        started = time.perf_counter()
        calls()
        body = json.dumps({"Status": "SUCCESS", "RequestId": request_id}).encode()
        request = urllib.request.Request(self.responses.url_for(request_id), data=body, method="PUT")
        with urllib.request.urlopen(request, context=_ssl_context(), timeout=10):
            pass
        return time.perf_counter() - started, self.calls


def _ssl_context() -> Any:
    import ssl

    return ssl.create_default_context(cafile=os.environ["AWS_CA_BUNDLE"])


DOMAIN = "Custom::CognitoUserPoolDomain"
SETTINGS = "Custom::CognitoUserPoolClientSettings"
CERTIFICATE = "Custom::CognitoDomainCertificate"
MINIMUM_CALLS = {  # what a hand-written resource must call at least, per event
    "domain Create": 2,  # CreateUserPoolDomain, DescribeUserPoolDomain (CloudFront distribution)
    "domain no-op Update": 1,  # DescribeUserPoolDomain: the attributes are answered again
    "domain Update in place": 2,  # UpdateUserPoolDomain, DescribeUserPoolDomain
    "domain Update with replacement": 3,  # DeleteUserPoolDomain, CreateUserPoolDomain, DescribeUserPoolDomain
    "domain Delete": 1,  # DeleteUserPoolDomain
    "settings Create": 2,  # DescribeUserPoolClient (to keep other fields), UpdateUserPoolClient
    "settings no-op Update": 1,  # DescribeUserPoolClient
    "settings Update in place": 2,
    "settings Update with replacement": 2,  # the new client: describe, update (the old one at cleanup)
    "settings Delete": 2,
}


def domain_scenarios(
    bench: Bench,
) -> Iterator[tuple[str, Callable[[], tuple[float, int]], Callable[[], tuple[float, int]]]]:
    pool_id, _ = bench.pool()
    c = bench.baseline
    props = {"UserPoolId": pool_id, "Domain": f"bench-{uuid.uuid4().hex[:10]}"}
    renamed = {**props, "Domain": props["Domain"] + "-b"}
    v2 = {**props, "ManagedLoginVersion": "2"}
    ev = bench.events

    def bare_create() -> None:
        c.create_user_pool_domain(UserPoolId=pool_id, Domain=props["Domain"])
        c.describe_user_pool_domain(Domain=props["Domain"])

    def bare_delete(domain: str) -> Callable[[], None]:
        return lambda: c.delete_user_pool_domain(UserPoolId=pool_id, Domain=domain)

    def bare_update() -> None:
        c.update_user_pool_domain(UserPoolId=pool_id, Domain=props["Domain"], ManagedLoginVersion=2)
        c.describe_user_pool_domain(Domain=props["Domain"])

    def baseline_create() -> tuple[float, int]:
        bare_delete(props["Domain"])()  # the handler's Create made it; start again from nothing
        return bench.bare(bare_create, "x")

    def baseline_replace() -> tuple[float, int]:
        _reset_domain(c, pool_id, renamed["Domain"], props["Domain"])
        return bench.bare(bare_replace, "x")

    def baseline_delete() -> tuple[float, int]:
        c.create_user_pool_domain(UserPoolId=pool_id, Domain=renamed["Domain"])
        return bench.bare(bare_delete(renamed["Domain"]), "x")

    def bare_replace() -> None:
        c.delete_user_pool_domain(UserPoolId=pool_id, Domain=props["Domain"])
        c.create_user_pool_domain(UserPoolId=pool_id, Domain=renamed["Domain"])
        c.describe_user_pool_domain(Domain=renamed["Domain"])

    yield (
        "domain Create",
        lambda: bench.handle(ev.create(DOMAIN, "D", props)),
        baseline_create,
    )
    yield (
        "domain no-op Update",
        lambda: bench.handle(ev.update(DOMAIN, "D", props["Domain"], props, props)),
        lambda: bench.bare(lambda: c.describe_user_pool_domain(Domain=props["Domain"]) and None, "x"),
    )
    yield (
        "domain Update in place",
        lambda: bench.handle(ev.update(DOMAIN, "D", props["Domain"], v2, props)),
        lambda: bench.bare(bare_update, "x"),
    )
    yield (
        "domain Update with replacement",
        lambda: bench.handle(ev.update(DOMAIN, "D", props["Domain"], renamed, v2)),
        baseline_replace,
    )
    yield (
        "domain Delete",
        lambda: bench.handle(ev.delete(DOMAIN, "D", renamed["Domain"], renamed)),
        baseline_delete,
    )


def _reset_domain(client: Any, pool_id: str, remove: str, create: str) -> None:
    client.delete_user_pool_domain(UserPoolId=pool_id, Domain=remove)
    client.create_user_pool_domain(UserPoolId=pool_id, Domain=create)


def settings_scenarios(
    bench: Bench,
) -> Iterator[tuple[str, Callable[[], tuple[float, int]], Callable[[], tuple[float, int]]]]:
    pool_id, client_id = bench.pool()
    other_client = bench.baseline.create_user_pool_client(UserPoolId=pool_id, ClientName="other")["UserPoolClient"][
        "ClientId"
    ]
    c = bench.baseline
    props: dict[str, Any] = {
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "CallbackURLs": ["https://app.example.com/"],
    }
    changed = {**props, "CallbackURLs": ["https://app.example.com/new"]}
    moved = {**changed, "ClientId": other_client}
    ev = bench.events

    def bare_apply(target: str, urls: list[str]) -> Callable[[], None]:
        def calls() -> None:
            current = c.describe_user_pool_client(UserPoolId=pool_id, ClientId=target)["UserPoolClient"]
            keep = {k: v for k, v in current.items() if k not in ("ClientSecret", "LastModifiedDate", "CreationDate")}
            c.update_user_pool_client(
                **{
                    **keep,
                    "AllowedOAuthFlows": ["code"],
                    "AllowedOAuthScopes": ["openid"],
                    "CallbackURLs": urls,
                    "AllowedOAuthFlowsUserPoolClient": True,
                }
            )

        return calls

    def bare_reset(target: str) -> Callable[[], None]:
        def calls() -> None:
            current = c.describe_user_pool_client(UserPoolId=pool_id, ClientId=target)["UserPoolClient"]
            managed = (
                "ClientSecret",
                "LastModifiedDate",
                "CreationDate",
                "CallbackURLs",
                "AllowedOAuthFlows",
                "AllowedOAuthScopes",
            )
            keep = {k: v for k, v in current.items() if k not in managed}
            c.update_user_pool_client(**{**keep, "AllowedOAuthFlowsUserPoolClient": False})

        return calls

    yield (
        "settings Create",
        lambda: bench.handle(ev.create(SETTINGS, "S", props)),
        lambda: bench.bare(bare_apply(client_id, props["CallbackURLs"]), "x"),
    )
    yield (
        "settings no-op Update",
        lambda: bench.handle(ev.update(SETTINGS, "S", client_id, props, props)),
        lambda: bench.bare(lambda: c.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id) and None, "x"),
    )
    yield (
        "settings Update in place",
        lambda: bench.handle(ev.update(SETTINGS, "S", client_id, changed, props)),
        lambda: bench.bare(bare_apply(client_id, changed["CallbackURLs"]), "x"),
    )
    yield (
        "settings Update with replacement",
        lambda: bench.handle(ev.update(SETTINGS, "S", client_id, moved, changed)),
        lambda: bench.bare(bare_apply(other_client, moved["CallbackURLs"]), "x"),
    )
    yield (
        "settings Delete",
        lambda: bench.handle(ev.delete(SETTINGS, "S", other_client, moved)),
        lambda: bench.bare(bare_reset(other_client), "x"),
    )


def handler_rows(bench: Bench, runs: int) -> list[Row]:
    rows = []
    times: dict[str, tuple[list[float], list[float], int, int]] = {}
    for _ in range(runs):
        for scenarios in (domain_scenarios(bench), settings_scenarios(bench)):
            for name, ours, baseline in scenarios:
                our_time, our_calls = ours()
                bare_time, bare_calls = baseline()
                entry = times.setdefault(name, ([], [], our_calls, bare_calls))
                entry[0].append(our_time)
                entry[1].append(bare_time)
    for name, (ours_list, bare_list, our_calls, _) in times.items():
        ours_median, bare_median = statistics.median(ours_list), statistics.median(bare_list)
        rows.append(
            Row(
                f"handler: {name}",
                f"{ours_median * 1000:.1f} ms",
                f"bare boto3 {bare_median * 1000:.1f} ms",
                f"{ours_median / bare_median:.2f}x",
            )
        )
        minimum = MINIMUM_CALLS[name]
        rows.append(Row(f"calls: {name}", str(our_calls), f"minimum {minimum}", f"+{our_calls - minimum}"))
    return rows


def delete_row(bench: Bench, runs: int) -> Row:
    def one() -> float:
        pool_id, _ = bench.pool()
        props = {"UserPoolId": pool_id, "Domain": f"bench-{uuid.uuid4().hex[:10]}"}
        bench.handle(bench.events.create(DOMAIN, "D", props))
        return bench.handle(bench.events.delete(DOMAIN, "D", props["Domain"], props))[0]

    ours = median_of(runs, one)
    crhelper = ours + CRHELPER_SLEEP_ON_DELETE
    return Row(
        "Delete answered after",
        f"{ours * 1000:.0f} ms",
        f"crhelper default {crhelper:.1f} s (computed: + sleep_on_delete=120)",
        f"{crhelper / ours:.0f}x faster",
    )


def custom_domain_row(bench: Bench, runs: int, delay: float) -> Row:
    bench.endpoint.faithful.custom_domain_delay = delay

    def one() -> float:
        pool_id, _ = bench.pool()
        props = {"UserPoolId": pool_id, "Domain": f"auth-{uuid.uuid4().hex[:8]}.example.com", "CertificateArn": CERT}
        elapsed = bench.handle(bench.events.create(DOMAIN, "D", props))[0]
        bench.handle(bench.events.delete(DOMAIN, "D", props["Domain"], props))
        return elapsed - delay

    ours = median_of(runs, one)
    crhelper = CRHELPER_POLLING_INTERVAL - delay
    return Row(
        f"custom domain: ACTIVE to answer (CREATING {delay:.0f} s)",
        f"{ours:.2f} s",
        f"crhelper 2-minute polling {crhelper:.0f} s (computed: first poll at 120 s)",
        f"{crhelper / max(ours, 0.01):.0f}x sooner",
    )


def certificate_chain_row(bench: Bench, validation: float, creating: float) -> Row:
    """Certificate ISSUED → its answer; then the domain created with it, ACTIVE → its answer (both hand-offs)."""
    import boto3

    faithful = bench.endpoint.faithful
    saved = faithful.certificates.validation_delay, faithful.custom_domain_delay
    faithful.certificates.validation_delay, faithful.custom_domain_delay = validation, creating
    moments: dict[str, float] = {}
    faithful.on_call = lambda operation: moments.setdefault(operation, time.monotonic())
    route53 = boto3.client("route53")
    name = f"auth-{uuid.uuid4().hex[:8]}.example.net"
    zone_id = str(route53.create_hosted_zone(Name=name.split(".", 1)[1], CallerReference=name)["HostedZone"]["Id"])
    zone_id = zone_id.rsplit("/", 1)[-1]
    try:
        pool_id, _ = bench.pool()
        certificate_props = {"DomainName": name, "HostedZoneId": zone_id}
        parent = {
            "Name": name.split(".", 1)[1] + ".",
            "Type": "A",
            "TTL": 300,
            "ResourceRecords": [{"Value": "192.0.2.1"}],
        }
        route53.change_resource_record_sets(
            HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": parent}]}
        )
        bench.certificate_calls.clear()
        event = bench.events.create(CERTIFICATE, "C", certificate_props)
        bench.handle(event)
        certificate_answered = time.monotonic()
        arn = bench.responses.wait_for(event["RequestId"])["PhysicalResourceId"]
        issued = faithful.certificates.record_seen_at[arn] + validation
        calls = list(bench.certificate_calls)
        domain_props = {"UserPoolId": pool_id, "Domain": name, "CertificateArn": arn}
        bench.handle(bench.events.create(DOMAIN, "D", domain_props))
        domain_answered = time.monotonic()
        active = moments["CreateUserPoolDomain"] + creating
        bench.handle(bench.events.delete(DOMAIN, "D", name, domain_props))
        bench.handle(bench.events.delete(CERTIFICATE, "C", arn, certificate_props))
    finally:
        faithful.on_call = lambda operation: None
        faithful.certificates.validation_delay, faithful.custom_domain_delay = saved
    # The minimum: GetHostedZone, ListResourceRecordSets (parent A), ListCertificates,
    # RequestCertificate, DescribeCertificate (the record), ChangeResourceRecordSets,
    # DescribeCertificate (ISSUED).
    minimum = 7
    return Row(
        f"custom domain chain: certificate ISSUED → answer → domain ACTIVE → answer (validation {validation:.0f} s)",
        f"ISSUED→answer {certificate_answered - issued:.2f} s; ACTIVE→answer {domain_answered - active:.2f} s",
        "target: each hand-off within 10 s of the state change",
        f"{len(calls)} ACM/Route 53 calls (minimum {minimum})",
    )


def same_pool_prefix_change_row(bench: Bench, deleting: float) -> Row:
    """A prefix change in the same pool: the one replacement real Cognito makes wait (DELETING holds the slot)."""
    faithful = bench.endpoint.faithful
    saved = faithful.prefix_domain_delay, faithful.deletion_delay
    faithful.prefix_domain_delay, faithful.deletion_delay = 0.5, deleting
    moments: dict[str, float] = {}
    faithful.on_call = lambda operation: moments.setdefault(operation, time.perf_counter())
    try:
        pool_id, _ = bench.pool()
        old = {"UserPoolId": pool_id, "Domain": f"bench-{uuid.uuid4().hex[:10]}"}
        new = {**old, "Domain": old["Domain"] + "-b"}
        bench.handle(bench.events.create(DOMAIN, "D", old))
        moments.clear()
        started = time.perf_counter()
        elapsed, calls = bench.handle(bench.events.update(DOMAIN, "D", old["Domain"], new, old))
        answered = started + elapsed
        bench.handle(bench.events.delete(DOMAIN, "D", new["Domain"], new))
    finally:
        faithful.on_call = lambda operation: None
        faithful.prefix_domain_delay, faithful.deletion_delay = saved
    usable = moments["CreateUserPoolDomain"] + 0.5
    without_domain = usable - moments["DeleteUserPoolDomain"]
    # The minimum: check the new name, delete, one look that sees the old one gone,
    # create, one look that sees the new one ACTIVE.
    minimum = 5
    return Row(
        f"prefix change in one pool (DELETING {deleting:.1f} s, CREATING 0.5 s)",
        f"answer {answered - usable:.2f} s after usable; {elapsed:.2f} s in all",
        f"pool without a prefix domain {without_domain:.2f} s (Cognito's floor {deleting + 0.5:.1f} s)",
        f"{calls} calls (minimum {minimum})",
    )


def suite_row() -> Row:
    """``pytest -n auto`` as ``make test`` runs it, in a fresh process: wall time against CPU time."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        # As make unit runs it; addopts cleared so that -q prints the summary line.
        [
            sys.executable,
            "-m",
            "pytest",
            "-o",
            "addopts=",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "4",
            "--dist",
            "worksteal",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = [line for line in completed.stdout.splitlines() if " passed" in line or " failed" in line]
    return Row(
        "test suite: pytest -n 4 --dist worksteal (make unit)",
        f"{wall:.1f} s wall ({summary[-1].strip() if summary else 'no summary'})",
        f"{cpu:.1f} s CPU on {os.cpu_count()} CPUs",
        f"{cpu / max(wall, 0.01):.2f} CPUs busy",
    )


def parallel_rows(bench: Bench, sizes: list[int]) -> list[Row]:
    rows = []
    faithful = bench.endpoint.faithful
    for size in sizes:
        pool_id, _ = bench.pool()
        client_ids = [
            bench.baseline.create_user_pool_client(UserPoolId=pool_id, ClientName=f"c{n}")["UserPoolClient"]["ClientId"]
            for n in range(size)
        ]
        faithful.enforce_quotas(per_pool=5, per_account=15)
        events = [
            bench.events.create(
                SETTINGS,
                f"S{n}",
                {
                    "UserPoolId": pool_id,
                    "ClientId": cid,
                    "AllowedOAuthFlows": ["code"],
                    "AllowedOAuthScopes": ["openid"],
                    "CallbackURLs": ["https://a.example.com/"],
                },
            )
            for n, cid in enumerate(client_ids)
        ]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=size) as lambdas:
            answers = list(lambdas.map(_answer_status(bench), events))
        elapsed = time.perf_counter() - started
        faithful.stop_enforcing_quotas()
        failures = sum(1 for status in answers if status != "SUCCESS")
        minimum = size / 5  # 5 UpdateUserPoolClient per second per pool
        rows.append(
            Row(
                f"{size} settings resources in parallel (5/s quota)",
                f"{elapsed:.1f} s, {failures} failed",
                f"quota-bound minimum {minimum:.1f} s",
                f"{elapsed / minimum:.2f}x",
            )
        )
    return rows


def _answer_status(bench: Bench) -> Callable[[dict[str, Any]], str]:
    def run(event: dict[str, Any]) -> str:
        bench.handler.handler(event, bench.context(timeout_seconds=600), ops_factory=bench.ops_factory)
        return str(bench.responses.wait_for(event["RequestId"], timeout=120)["Status"])

    return run


# What "bundle boto3" puts in the package besides boto3 itself: its dependencies.
SDK_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")


def _package_folders(names: tuple[str, ...]) -> list[Path]:
    import importlib.util

    folders = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None:
            origin = Path(spec.origin)
            folders.append(origin.parent if origin.name == "__init__.py" else origin)
    return folders


def _zipped_size(paths: list[Path]) -> int:
    """Bytes of a deflated zip of ``paths`` (folders and files), as sam package would upload it."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            files = (
                [path]
                if path.is_file()
                else [f for f in path.rglob("*") if f.is_file() and "__pycache__" not in f.parts]
            )
            for file in files:
                archive.write(file, file.relative_to(path.parent))
    return len(buffer.getvalue())


def _cold_import_ms(python_path: list[Path], runs: int, interpreter: str = sys.executable) -> float:
    code = "import time; t = time.perf_counter(); import boto3, handler; print(time.perf_counter() - t)"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in python_path)}
    # Another interpreter runs with -s: its own site-packages stay out, as on Lambda.
    command = [interpreter, "-c", code] if interpreter == sys.executable else [interpreter, "-s", "-c", code]
    samples = [
        float(subprocess.run(command, capture_output=True, text=True, check=True, env=environment).stdout)
        for _ in range(runs)
    ]
    return statistics.median(samples) * 1000


def _runtime_interpreter() -> str | None:
    """The Python of the Lambda runtime's version (template.yaml's Runtime), when this machine has one."""
    runtime = re.search(r"Runtime: python(\d+\.\d+)", (ROOT / "template.yaml").read_text())
    if runtime is None:
        return None
    script = str(ROOT / "scripts" / "find-python.sh")
    found = subprocess.run(["bash", script, runtime.group(1)], capture_output=True, text=True, check=False)
    return f"{found.stdout.strip()}/python{runtime.group(1)}" if found.returncode == 0 else None


def sdk_choice_rows(runs: int) -> list[Row]:
    """The function's boto3: the Lambda runtime's, or a pinned one bundled in the package.

    Both packages are built here the way sam build lays them out (the project's
    modules and crhelper at the root; with bundling, boto3 and its dependencies too),
    with bytecode, and imported in fresh interpreters with the package first on the path.
    """
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        without, bundled = root / "runtime-sdk", root / "bundled-sdk"
        for target, names in ((without, ("crhelper",)), (bundled, ("crhelper", *SDK_PACKAGES))):
            shutil.copytree(ROOT / "src", target, ignore=shutil.ignore_patterns("__pycache__", "*.txt"))
            for folder in _package_folders(names):
                copy = shutil.copytree if folder.is_dir() else shutil.copy2
                copy(folder, target / folder.name)
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(target)], check=True)
        sizes = {
            name: _zipped_size(sorted(path.iterdir())) for name, path in (("runtime", without), ("bundled", bundled))
        }
        # Without bundling, boto3 comes from the interpreter's own site-packages (the runtime's).
        runtime_ms = _cold_import_ms([without], runs)
        bundled_ms = _cold_import_ms([bundled], runs)
        interpreter = _runtime_interpreter()
        rows = []
        if interpreter is not None:
            subprocess.run([interpreter, "-m", "compileall", "-q", str(bundled)], check=True)
            on_runtime_ms = _cold_import_ms([bundled], runs, interpreter)
            rows.append(
                Row(
                    f"cold start on {Path(interpreter).name} (the Lambda runtime's version), bundled",
                    f"{on_runtime_ms:.0f} ms",
                    f"this interpreter {bundled_ms:.0f} ms",
                    f"{on_runtime_ms / bundled_ms:.2f}x",
                )
            )
    return [
        *rows,
        Row(
            "package, zipped: runtime boto3 vs bundled",
            f"bundled {sizes['bundled'] / 1024 / 1024:.1f} MiB",
            f"runtime's boto3 {sizes['runtime'] / 1024:.0f} KiB",
            f"+{(sizes['bundled'] - sizes['runtime']) / 1024 / 1024:.1f} MiB",
        ),
        Row(
            "cold start: import boto3 + handler",
            f"bundled {bundled_ms:.0f} ms",
            f"runtime's boto3 {runtime_ms:.0f} ms",
            f"{bundled_ms / runtime_ms:.2f}x",
        ),
    ]


def package_row() -> Row:
    package = ROOT / ".aws-sam" / "provider-function.zip"
    if not package.exists():
        subprocess.run(["make", "build"], cwd=ROOT, check=True, capture_output=True)
    return Row(
        "deployment package (sam build, zipped)",
        f"{package.stat().st_size / 1024 / 1024:.1f} MiB",
        "boto3 and botocore pinned in src/requirements.txt",
        "bundled",
    )


def print_table(rows: list[Row]) -> None:
    headers = Row("measure", "this project", "alternative", "comparison")
    widths = [
        max(len(getattr(r, f)) for r in [headers, *rows]) for f in ("measure", "project", "alternative", "comparison")
    ]
    for index, row in enumerate([headers, *rows]):
        cells = [row.measure, row.project, row.alternative, row.comparison]
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (the median is printed)")
    parser.add_argument("--sizes", default="10,50", help="parallel resource counts")
    parser.add_argument("--domain-delay", type=float, default=3.0, help="seconds a custom domain stays CREATING")
    parser.add_argument("--skip-package", action="store_true", help="do not run sam build for the package size")
    parser.add_argument("--skip-sdk", action="store_true", help="do not compare the runtime's boto3 with a bundled one")
    parser.add_argument("--deleting", type=float, default=3.0, help="seconds a deleted domain stays DELETING")
    parser.add_argument("--validation", type=float, default=3.0, help="seconds from validation record to ISSUED")
    parser.add_argument("--skip-suite", action="store_true", help="do not time the test suite (the suite itself)")
    args = parser.parse_args(argv)
    print(
        f"Benchmark: median of {args.runs} runs each, against moto on 127.0.0.1 with the faithful double\n", flush=True
    )
    rows = [cold_start(args.runs)]
    with local_world() as (endpoint, responses):
        bench = Bench(endpoint, responses)
        rows += handler_rows(bench, args.runs)
        rows.append(delete_row(bench, args.runs))
        rows.append(custom_domain_row(bench, max(1, args.runs // 3), args.domain_delay))
        rows.append(same_pool_prefix_change_row(bench, args.deleting))
        rows.append(certificate_chain_row(bench, args.validation, args.domain_delay))
        rows += parallel_rows(bench, [int(size) for size in args.sizes.split(",")])
    if not args.skip_sdk:
        rows += sdk_choice_rows(args.runs)
    if not args.skip_package:
        rows.append(package_row())
    if not args.skip_suite:
        rows.append(suite_row())
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
