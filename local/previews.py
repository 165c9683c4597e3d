"""``make local PREVIEWS=n``: preview stacks adding their URLs to the main stack's app client.

Brings examples/preview-environment up ``n`` times against the main stack (its pool
and client as parameters, its ServiceToken through Fn::ImportValue), shows the
client's callback URLs as the union, signs the test user in through the first
preview's HostedUIUrl (the AWS CLI signs in with the client id taken from that URL,
and the URL's redirect_uri must be one of the client's callback URLs), then deletes
that preview and shows its URLs gone and everyone else's kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from local.aws_cli import admin_sign_in

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "examples" / "preview-environment" / "template.yaml"


class PreviewError(Exception):
    """A preview step did not end as it should; the message says what was seen."""


def run_previews(engine: Any, cognito: Any, main_stack: Any, count: int) -> None:
    """Create ``count`` previews, sign in through the first, delete it, check the union, delete the rest."""
    print(f"\n  {count} preview stacks adding their URLs to this stack's app client:")
    pool_id, client_id = main_stack.outputs["UserPoolId"], main_stack.outputs["AppClientId"]
    owner_urls = _callback_urls(cognito, pool_id, client_id)
    previews = [_create(engine, main_stack, pool_id, client_id, n) for n in range(1, count + 1)]
    urls = _callback_urls(cognito, pool_id, client_id)
    print(f"  App client {client_id} CallbackURLs, the owner's then each preview's:")
    for url in urls:
        print(f"    {url}")
    wanted = [*owner_urls, *(p.outputs["CallbackURL"] for p in previews)]
    if urls != wanted:
        raise PreviewError(f"the client lists {urls}, not the union {wanted}")

    first = previews[0]
    print(f"\n  Signing in through {first.name}'s HostedUIUrl")
    print(f"    {first.outputs['HostedUIUrl']}")
    query = parse_qs(urlsplit(first.outputs["HostedUIUrl"]).query)
    redirect_uri, url_client = query["redirect_uri"][0], query["client_id"][0]
    if redirect_uri not in urls:
        raise PreviewError(f"{redirect_uri} is not a callback URL of the client: Cognito would refuse the redirect")
    print(f"    redirect_uri {redirect_uri} is one of the client's callback URLs")
    _sign_in(pool_id, url_client)

    print(f"\n  Deleting {first.name}")
    _delete(engine, first)
    left = _callback_urls(cognito, pool_id, client_id)
    if first.outputs["CallbackURL"] in left or left != [u for u in wanted if u != first.outputs["CallbackURL"]]:
        raise PreviewError(f"after deleting {first.name} the client lists {left}")
    print(f"    {first.outputs['CallbackURL']} is gone; kept: {', '.join(left)}")
    for preview in previews[1:]:
        _delete(engine, preview)
    if _callback_urls(cognito, pool_id, client_id) != owner_urls:
        raise PreviewError("after deleting every preview the client does not list exactly the owner's URLs")
    print(f"  Every preview deleted; the client lists the owner's URLs again: {', '.join(owner_urls)}")


def _sign_in(pool_id: str, client_id: str) -> None:
    """The test user that step 4 signed up, signed in with the client the preview's URL names."""
    id_token = admin_sign_in(pool_id, client_id).get("IdToken", "")
    if not id_token:
        raise PreviewError("signing in through the preview's client returned no IdToken")
    print(f"    IdToken: {id_token[:24]}… ({len(id_token)} characters)")


def _create(engine: Any, main_stack: Any, pool_id: str, client_id: str, n: int) -> Any:
    name = f"{main_stack.name}-pr-{n}"
    parameters = {
        "ProviderStackName": main_stack.name,
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "PreviewName": f"pr-{n}",
    }
    print(f"  Creating stack {name} from {TEMPLATE.relative_to(ROOT)}")
    return engine.create_stack(name, TEMPLATE, parameters)


def _delete(engine: Any, stack: Any) -> None:
    failures = engine.delete_stack(stack)
    if failures:
        raise PreviewError(f"deleting {stack.name} failed: " + "; ".join(failures))


def _callback_urls(cognito: Any, pool_id: str, client_id: str) -> list[str]:
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    return list(client.get("CallbackURLs") or [])
