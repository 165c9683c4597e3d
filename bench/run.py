"""``make bench``: the figures a user decides by, measured against the alternative.

Rows: the cold start (importing the handler against importing boto3 alone); the time
to CloudFormation's answer for each kind of change, against the bare boto3 calls it
needs; the calls made, against the minimum; and many resources at once under
Cognito's request quota. Everything runs on this machine against moto in server mode
on 127.0.0.1 with the faithful Cognito double, and every figure is the median of
several runs. Each row is printed when it is measured; a row that fails (an answer
that is not SUCCESS, a step that raises) is printed as FAILED and makes the command
exit 1. Timing targets that are promises (Delete answers without crhelper's 120 s
sleep, a custom domain is answered within seconds of turning ACTIVE) are test budgets
in tests/lifecycle/, not rows here.

To add rows, write a function ``(bench, args) -> Iterator[Row]`` and add it to
``SECTIONS`` at the end of this file (for example "50 simultaneous hand-overs" or
"20 URL contributions on one client"); ``Bench`` drives the handler and bare boto3.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.at_once import answered_at_once
from bench.client_urls import contributions_rows
from bench.handovers import handover_rows
from bench.rows import Row, progress
from bench.settings_parallel import settings_under_ssm_quota_rows

ROOT = Path(__file__).resolve().parents[1]
# What a row's subprocesses and the handler must not inherit from the shell that runs
# make bench: they would change what is measured (LOG_LEVEL, an AWS profile or endpoint).
INHERITED_PREFIXES = ("AWS_", "LOG_LEVEL", "PYTEST_", "PYTHON")
WIDTHS = (46, 22, 30, 12)


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without what would change a measurement, plus ``extra``."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_PREFIXES)}
    return {**kept, **extra}


def import_seconds() -> tuple[float, float]:
    """In one fresh interpreter: seconds to import boto3, then the extra seconds to import the handler.

    Timing both in the same process keeps this VM's large run-to-run noise out of
    the ratio: what the handler adds is measured against the boto3 import it rides on.
    """
    code = (
        "import time; t = time.perf_counter(); import boto3; b = time.perf_counter() - t; "
        "t = time.perf_counter(); import handler; print(b, time.perf_counter() - t)"
    )
    environment = clean_environment(PYTHONPATH=str(ROOT / "src"))
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
    boto3_seconds, handler_seconds = (float(part) for part in output.stdout.split())
    return boto3_seconds, handler_seconds


def cold_start_rows(_: Any, args: argparse.Namespace) -> Iterator[Row]:
    runs = args.runs
    progress(f"cold start: {runs} fresh interpreters")
    # The deployment package carries compiled bytecode (make build runs compileall):
    # /var/task is read-only, so Lambda could not cache it, and boto3 in the
    # runtime is precompiled too. Measure the same way here.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    samples = [import_seconds() for _ in range(runs)]
    boto3 = statistics.median(b for b, _ in samples)
    handler = statistics.median(b + h for b, h in samples)
    ratio = statistics.median((b + h) / b for b, h in samples)
    yield Row(
        "cold start: import handler", f"{handler * 1000:.0f} ms", f"import boto3 {boto3 * 1000:.0f} ms", f"{ratio:.2f}x"
    )


@contextmanager
def local_world() -> Iterator[Any]:
    """moto server + faithful double + HTTPS response endpoint; the handler's environment, restored after."""
    import tempfile

    from cognito_double.moto_endpoint import running_moto_endpoint
    from local.response_server import ResponseServer
    from local.tls import write_loopback_certificate

    saved = dict(os.environ)
    with running_moto_endpoint() as endpoint, tempfile.TemporaryDirectory() as directory:
        cert, key = write_loopback_certificate(Path(directory))
        responses = ResponseServer(cert, key).start()
        # The handler runs in this process: it sees exactly this environment (INFO logging, as deployed).
        os.environ.clear()
        os.environ.update(
            clean_environment(
                AWS_ENDPOINT_URL=endpoint.url,
                AWS_CA_BUNDLE=str(cert),
                AWS_ACCESS_KEY_ID="bench",
                AWS_SECRET_ACCESS_KEY="bench",  # noqa: S106 (fake; only 127.0.0.1 is reached)
                AWS_DEFAULT_REGION="us-east-1",
                AWS_REGION="us-east-1",
            )
        )
        sys.path.insert(0, str(ROOT / "src"))
        try:
            yield endpoint, responses
        finally:
            responses.stop()
            os.environ.clear()
            os.environ.update(saved)


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

    def _count(self, **_: Any) -> None:
        self.calls += 1

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


def handler_rows(bench: Bench, args: argparse.Namespace) -> Iterator[Row]:
    """Per kind of change: time to the answer against bare boto3, and the calls against the minimum."""
    times: dict[str, tuple[list[float], list[float], int]] = {}
    for run in range(args.runs):
        progress(f"every kind of change, run {run + 1} of {args.runs}")
        for scenarios in (domain_scenarios(bench), settings_scenarios(bench)):
            for name, ours, baseline in scenarios:
                our_time, our_calls = ours()
                bare_time, _ = baseline()
                entry = times.setdefault(name, ([], [], our_calls))
                entry[0].append(our_time)
                entry[1].append(bare_time)
    for name, (ours_list, bare_list, our_calls) in times.items():
        ours_median, bare_median = statistics.median(ours_list), statistics.median(bare_list)
        yield Row(
            f"answer: {name}",
            f"{ours_median * 1000:.1f} ms",
            f"bare boto3 {bare_median * 1000:.1f} ms",
            f"{ours_median / bare_median:.2f}x",
        )
        minimum = MINIMUM_CALLS[name]
        yield Row(f"calls: {name}", str(our_calls), f"minimum {minimum}", f"+{our_calls - minimum}")


def parallel_rows(bench: Bench, args: argparse.Namespace) -> Iterator[Row]:
    """Many settings resources at once, bound by Cognito's UpdateUserPoolClient quota (5 per second per pool)."""
    faithful = bench.endpoint.faithful
    for size in (int(size) for size in args.sizes.split(",")):
        progress(f"{size} settings resources at once")
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
        answers, elapsed = answered_at_once(bench, events)
        faithful.stop_enforcing_quotas()
        failures = sum(1 for status in answers if status != "SUCCESS")
        minimum = size / 5  # 5 UpdateUserPoolClient per second per pool
        yield Row(
            f"{size} settings resources in parallel (5/s quota)",
            f"{elapsed:.1f} s, {failures} failed",
            f"quota-bound minimum {minimum:.1f} s",
            f"{elapsed / minimum:.2f}x",
            failed=failures > 0,
        )


# The rows, section by section, in the order they run. A section is a function
# (bench, args) -> Iterator[Row]; bench is None for the sections before the local world.
Section = Callable[[Any, argparse.Namespace], Iterator[Row]]
SECTIONS_WITHOUT_ENDPOINT: list[Section] = [cold_start_rows]
SECTIONS: list[Section] = [
    handler_rows,
    parallel_rows,
    settings_under_ssm_quota_rows,
    contributions_rows,
    handover_rows,
]


def print_row(row: Row) -> None:
    cells = (row.measure, row.project, row.alternative, row.comparison)
    print("| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, WIDTHS, strict=True)) + " |", flush=True)


def run_section(section: Section, bench: Any, args: argparse.Namespace) -> bool:
    """Print the section's rows as they come; False when one failed or the section raised."""
    ok = True
    try:
        for row in section(bench, args):
            print_row(row)
            ok = ok and not row.failed
    except Exception as failure:
        print_row(Row(f"{section.__name__} FAILED", type(failure).__name__, str(failure)[:200], "", failed=True))
        return False
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (the median is printed)")
    parser.add_argument("--sizes", default="10,50", help="parallel resource counts")
    parser.add_argument("--handovers", default="50", help="stacks handing a slow change over at once")
    # 0.25: four times faster than the wall, fast enough for make bench, slow enough that moto's
    # own latency (real milliseconds) stays small in the function's time.
    parser.add_argument("--handover-scale", default="0.25", help="seconds of wall time per second of the function's")
    parser.add_argument("--contributions", default="20", help="URL contributions to one client at once")
    args = parser.parse_args(argv)
    print(
        f"Benchmark: median of {args.runs} runs each, against moto on 127.0.0.1 with the faithful double\n", flush=True
    )
    print_row(Row("measure", "this project", "alternative", "comparison"))
    print("|" + "|".join("-" * (width + 2) for width in WIDTHS) + "|", flush=True)
    ok = True
    for section in SECTIONS_WITHOUT_ENDPOINT:
        ok = run_section(section, None, args) and ok
    progress("starting the local endpoint (moto server and the faithful double)")
    with local_world() as (endpoint, responses):
        bench = Bench(endpoint, responses)
        for section in SECTIONS:
            ok = run_section(section, bench, args) and ok
    if not ok:
        print("\nmake bench: a row FAILED (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
