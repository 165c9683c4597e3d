"""``make invoke EVENT=events/domain-create.json``: one sample event against the ``make local KEEP=1`` endpoint.

The sample events name an example pool, client and CloudFormation's response
bucket. This rewrites them to local ones, as ``sam local invoke -e`` would need an
account and Docker for: the event's ``UserPoolId`` and ``ClientId`` become those of a
sandbox pool and client on the kept endpoint (made on first use, beside the kept
stack, so the stack's own domain is never in the way), and ``ResponseURL`` becomes
an HTTPS URL on 127.0.0.1 where the answer is read back. The handler then runs in
this process, against the kept endpoint, and the answer is printed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from local.kept_endpoint import KeptEndpoint, NoKeptEndpoint

ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"


def sandbox(cognito: Any, kept: KeptEndpoint) -> dict[str, str]:
    """The pool and client events run against: made once, then remembered in .local-run/state.json."""
    if kept.sandbox and any(
        p["Id"] == kept.sandbox["UserPoolId"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]
    ):
        return kept.sandbox
    pool = cognito.create_user_pool(PoolName="make-invoke-sandbox", UsernameAttributes=["email"])["UserPool"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="make-invoke-sandbox-client", GenerateSecret=False
    )["UserPoolClient"]
    kept.sandbox = {"UserPoolId": pool["Id"], "ClientId": client["ClientId"]}
    kept.save()
    return kept.sandbox


def localised(event: dict[str, Any], ids: dict[str, str], response_url: str) -> tuple[dict[str, Any], list[str]]:
    """The event with the sandbox's ids and a local response URL; and what was rewritten, to print."""
    text = json.dumps(event)
    changes = []
    for key, local_id in ids.items():
        sample_id = event.get("ResourceProperties", {}).get(key)
        if isinstance(sample_id, str) and sample_id != local_id:
            text = text.replace(json.dumps(sample_id), json.dumps(local_id))
            changes.append(f"{key} {sample_id} -> {local_id}")
    rewritten: dict[str, Any] = json.loads(text)
    rewritten["ResponseURL"] = response_url
    changes.append(f"ResponseURL -> {response_url.split('?', maxsplit=1)[0]} (local HTTPS)")
    return rewritten, changes


def invoke(event_path: Path, quiet: bool = False) -> dict[str, Any]:
    from local.function_log import function_log
    from local.run import STATE_DIR, local_environment, response_endpoint

    kept = KeptEndpoint.load()
    event = json.loads(event_path.read_text())
    with response_endpoint() as (responses, ca_bundle):
        os.environ.update(local_environment(kept.url, ca_bundle))
        sys.path.insert(0, str(ROOT / "src"))
        import boto3

        import handler
        from local.lambda_context import FakeLambdaContext

        cognito = boto3.client("cognito-idp", region_name=REGION)
        local_event, changes = localised(event, sandbox(cognito, kept), responses.url_for(event["RequestId"]))
        print(f"{event['RequestType']} {event['ResourceType']} {event['LogicalResourceId']} from {event_path}")
        for change in changes:
            print(f"  rewrote {change}")
        with function_log(STATE_DIR / "function.log", quiet):
            handler.handler(local_event, FakeLambdaContext(timeout_seconds=600))
        answer: dict[str, Any] = responses.wait_for(event["RequestId"], timeout=600)
    print("Answer (as CloudFormation reads it from the response URL):")
    print(json.dumps(answer, indent=2))
    return answer


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    quiet = "--quiet" in arguments
    arguments = [argument for argument in arguments if argument != "--quiet"]
    if len(arguments) != 1:
        print(
            "usage: python -m local.invoke [--quiet] EVENT.json   (make invoke EVENT=events/domain-create.json)",
            file=sys.stderr,
        )
        return 2
    try:
        answer = invoke(Path(arguments[0]), quiet)
    except NoKeptEndpoint as problem:
        print(f"make invoke: {problem}", file=sys.stderr)
        return 1
    return 0 if answer["Status"] == "SUCCESS" else 1


if __name__ == "__main__":
    sys.exit(main())
