"""Every lifecycle decision of ``Custom::CognitoUserPoolClientSettings``, against Cognito in memory.

UpdateUserPoolClient replaces the whole client, so each row asserts the complete
client after the request: the managed OAuth fields as wanted, every other field
exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError

from aws.errors import CognitoError
from aws.operations import Operations
from resources import client_settings
from resources.lifecycle import FAILED_CREATE_MARKER, LifecycleRequest, Outcome, ResourceFailure
from tests.support.fake_ops import InMemoryCognito

POOL = "us-east-1_NotesPool"
WEB_CLIENT = "webclient1234567890abcdefgh"
OTHER_CLIENT = "otherclient0987654321zyxwv"
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:cognito-resources"
CALLBACK = "https://notes.example.com/callback"
SIGNED_OUT = "https://notes.example.com/"

# What DescribeUserPoolClient returns for an app client without OAuth settings.
PLAIN_CLIENT: Mapping[str, Any] = {
    "UserPoolId": POOL,
    "ClientName": "notes-web",
    "RefreshTokenValidity": 30,
    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "ReadAttributes": ["email", "email_verified"],
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": True,
    "AllowedOAuthFlowsUserPoolClient": False,
    "CreationDate": datetime(2024, 5, 1, tzinfo=UTC),
    "LastModifiedDate": datetime(2024, 5, 1, tzinfo=UTC),
}
SECRET_CLIENT: Mapping[str, Any] = {**PLAIN_CLIENT, "ClientSecret": "not-a-real-secret"}
# The managed fields ``WEB_SETTINGS`` writes.
WEB_OAUTH: Mapping[str, Any] = {
    "CallbackURLs": [CALLBACK],
    "LogoutURLs": [SIGNED_OUT],
    "AllowedOAuthFlows": ["code"],
    "AllowedOAuthScopes": ["openid", "email"],
    "SupportedIdentityProviders": ["COGNITO"],
    "AllowedOAuthFlowsUserPoolClient": True,
}
OLD_OAUTH: Mapping[str, Any] = {
    "CallbackURLs": ["https://old.example.com/cb"],
    "DefaultRedirectURI": "https://old.example.com/cb",
    "AllowedOAuthFlows": ["implicit"],
    "AllowedOAuthScopes": ["openid", "profile"],
    "SupportedIdentityProviders": ["COGNITO"],
    "AllowedOAuthFlowsUserPoolClient": True,
}


def settings(client_id: str = WEB_CLIENT, **changes: Any) -> dict[str, Any]:
    """Properties as CloudFormation sends them (strings, lists of strings)."""
    raw: dict[str, Any] = {
        "ServiceToken": SERVICE_TOKEN,
        "UserPoolId": POOL,
        "ClientId": client_id,
        "CallbackURLs": [CALLBACK],
        "LogoutURLs": [SIGNED_OUT],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email"],
        "Domain": "notes-auth",
    }
    raw.update(changes)
    return {key: value for key, value in raw.items() if value is not None}


MACHINE_SETTINGS = settings(
    CallbackURLs=None,
    LogoutURLs=None,
    Domain=None,
    AllowedOAuthFlows=["client_credentials"],
    AllowedOAuthScopes=["notes/read"],
)


def create(raw: dict[str, Any]) -> LifecycleRequest:
    return LifecycleRequest("Create", physical_id="", properties=raw)


def update(physical_id: str, raw: dict[str, Any], old: dict[str, Any]) -> LifecycleRequest:
    return LifecycleRequest("Update", physical_id=physical_id, properties=raw, old_properties=old)


def delete(physical_id: str, raw: Any) -> LifecycleRequest:
    return LifecycleRequest("Delete", physical_id=physical_id, properties=raw)


START: Mapping[str, Callable[[LifecycleRequest, Operations], Outcome]] = {
    "Create": client_settings.create,
    "Update": client_settings.update,
    "Delete": client_settings.delete,
}


def cognito_with(clients: Mapping[str, Mapping[str, Any]]) -> InMemoryCognito:
    cognito = InMemoryCognito(
        identity_providers={POOL: {"Google", "CorporateSAML"}},
        resource_server_scopes={POOL: {"notes/read", "notes/write"}},
    )
    for client_id, fields in clients.items():
        cognito.add_client(POOL, client_id, fields)
    return cognito


def client(fields: Mapping[str, Any], client_id: str = WEB_CLIENT) -> dict[str, Any]:
    """A client as Cognito holds it."""
    return {**fields, "ClientId": client_id}


def written(cognito: InMemoryCognito) -> list[str]:
    return [args[1] for _, args in cognito.writes]


@dataclass(frozen=True)
class Case:
    id: str
    request: LifecycleRequest
    before: Mapping[str, Mapping[str, Any]]
    # Every client after the request, whole; ``None``: as before.
    after: Mapping[str, Mapping[str, Any]] | None = None
    writes: tuple[str, ...] = ()
    physical_id: str | None = None
    data: Mapping[str, str | None] = field(default_factory=dict)
    failure: tuple[str, ...] = ()


def table(cases: Iterable[Case]) -> list[Any]:
    return [pytest.param(case, id=case.id) for case in cases]


def check(case: Case) -> None:
    cognito = cognito_with(case.before)
    if case.failure:
        with pytest.raises(ResourceFailure) as refusal:
            START[case.request.request_type](case.request, cognito.operations)
        for part in case.failure:
            assert part in str(refusal.value)
    else:
        outcome = START[case.request.request_type](case.request, cognito.operations)
        assert not outcome.pending
        assert outcome.physical_id == case.physical_id
        assert {key: outcome.data.get(key) for key in case.data} == dict(case.data)
    after = case.before if case.after is None else case.after
    assert cognito.clients == {(POOL, client_id): client(fields, client_id) for client_id, fields in after.items()}
    assert written(cognito) == list(case.writes)
    assert [args[1] for _, args in cognito.write_attempts] == list(case.writes)


APPLY_CASES = [
    Case(
        "create-writes-only-managed-fields-and-keeps-the-rest",
        create(settings()),
        before={WEB_CLIENT: PLAIN_CLIENT},
        after={WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}},
        writes=(WEB_CLIENT,),
        physical_id=WEB_CLIENT,
        data={
            "ClientId": WEB_CLIENT,
            "UserPoolId": POOL,
            "HostedUIUrl": "https://notes-auth.auth.us-east-1.amazoncognito.com/login"
            f"?client_id={WEB_CLIENT}&response_type=code&scope=openid%20email"
            "&redirect_uri=https%3A%2F%2Fnotes.example.com%2Fcallback",
        },
    ),
    Case(
        "create-when-already-matching-writes-nothing",
        create(settings()),
        before={WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}},
        physical_id=WEB_CLIENT,
    ),
    Case(
        "update-replaces-previous-settings-and-drops-an-unwanted-default-redirect",
        update(WEB_CLIENT, settings(), settings(AllowedOAuthFlows=["implicit"])),
        before={WEB_CLIENT: {**SECRET_CLIENT, **OLD_OAUTH}},
        after={WEB_CLIENT: {**SECRET_CLIENT, **WEB_OAUTH}},
        writes=(WEB_CLIENT,),
        physical_id=WEB_CLIENT,
    ),
    Case(
        "update-with-a-default-redirect-uri",
        update(WEB_CLIENT, settings(DefaultRedirectURI=CALLBACK), settings()),
        before={WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}},
        after={WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH, "DefaultRedirectURI": CALLBACK}},
        writes=(WEB_CLIENT,),
        physical_id=WEB_CLIENT,
    ),
    Case(
        "update-to-another-client-applies-to-the-new-one-only",
        update(OTHER_CLIENT, settings(OTHER_CLIENT), settings()),
        before={WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}, OTHER_CLIENT: PLAIN_CLIENT},
        # The old client is reset by CloudFormation's cleanup Delete, not here.
        after={WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}, OTHER_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}},
        writes=(OTHER_CLIENT,),
        physical_id=OTHER_CLIENT,
        data={"ClientId": OTHER_CLIENT},
    ),
    Case(
        "client-credentials-on-a-client-with-a-secret",
        create(MACHINE_SETTINGS),
        before={WEB_CLIENT: SECRET_CLIENT},
        after={
            WEB_CLIENT: {
                **SECRET_CLIENT,
                "AllowedOAuthFlows": ["client_credentials"],
                "AllowedOAuthScopes": ["notes/read"],
                "SupportedIdentityProviders": ["COGNITO"],
                "AllowedOAuthFlowsUserPoolClient": True,
            }
        },
        writes=(WEB_CLIENT,),
        physical_id=WEB_CLIENT,
        data={"HostedUIUrl": None},  # no browser flow, no login page
    ),
    Case(
        "configured-identity-providers-and-defined-scopes",
        create(
            settings(
                SupportedIdentityProviders=["COGNITO", "Google"],
                AllowedOAuthScopes=["openid", "notes/write"],
            )
        ),
        before={WEB_CLIENT: PLAIN_CLIENT},
        after={
            WEB_CLIENT: {
                **PLAIN_CLIENT,
                **WEB_OAUTH,
                "AllowedOAuthScopes": ["openid", "notes/write"],
                "SupportedIdentityProviders": ["COGNITO", "Google"],
            }
        },
        writes=(WEB_CLIENT,),
        physical_id=WEB_CLIENT,
    ),
    Case(
        "client-credentials-without-a-secret-refused",
        create(MACHINE_SETTINGS),
        before={WEB_CLIENT: PLAIN_CLIENT},
        failure=("The client_credentials flow needs an app client with a secret", WEB_CLIENT),
    ),
    Case(
        "scope-no-resource-server-defines-refused",
        create(settings(AllowedOAuthScopes=["openid", "billing/admin"])),
        before={WEB_CLIENT: PLAIN_CLIENT},
        failure=("AllowedOAuthScopes names billing/admin, not defined by any resource server",),
    ),
    Case(
        "identity-provider-not-configured-refused",
        create(settings(SupportedIdentityProviders=["COGNITO", "Facebook"])),
        before={WEB_CLIENT: PLAIN_CLIENT},
        failure=("SupportedIdentityProviders names Facebook, not configured on user pool", "Google"),
    ),
    Case(
        "every-pool-problem-reported-at-once",
        create(settings(SupportedIdentityProviders=["Facebook"], AllowedOAuthScopes=["billing/admin"])),
        before={WEB_CLIENT: PLAIN_CLIENT},
        failure=("names Facebook", "names billing/admin"),
    ),
    Case(
        "client-that-does-not-exist-refused",
        create(settings(OTHER_CLIENT)),
        before={WEB_CLIENT: PLAIN_CLIENT},
        failure=(f"App client {OTHER_CLIENT} does not exist in user pool {POOL}",),
    ),
]


@pytest.mark.parametrize("case", table(APPLY_CASES))
def test_apply(case: Case) -> None:
    check(case)


DELETE_CASES = [
    Case(
        "resets-only-managed-fields",
        delete(WEB_CLIENT, settings(DefaultRedirectURI=CALLBACK)),
        before={WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH, "DefaultRedirectURI": CALLBACK}},
        after={WEB_CLIENT: PLAIN_CLIENT},
        writes=(WEB_CLIENT,),
        physical_id=WEB_CLIENT,
    ),
    Case(
        "already-reset-writes-nothing",
        delete(WEB_CLIENT, settings()),
        before={WEB_CLIENT: PLAIN_CLIENT},
        physical_id=WEB_CLIENT,
    ),
    Case(
        "client-gone-is-success",
        delete(WEB_CLIENT, settings()),
        before={OTHER_CLIENT: PLAIN_CLIENT},
        physical_id=WEB_CLIENT,
    ),
]


@pytest.mark.parametrize("case", table(DELETE_CASES))
def test_delete(case: Case) -> None:
    check(case)


@pytest.mark.parametrize(
    ("physical_id", "raw"),
    [
        pytest.param(f"{FAILED_CREATE_MARKER}abc", settings(), id="failed-create-marker"),
        pytest.param(WEB_CLIENT, {"ClientId": WEB_CLIENT}, id="no-user-pool-id"),
        pytest.param(WEB_CLIENT, "not an object", id="properties-unreadable"),
    ],
)
def test_delete_that_names_nothing_of_ours_makes_no_call(physical_id: str, raw: Any) -> None:
    cognito = cognito_with({WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}})

    assert client_settings.delete(delete(physical_id, raw), cognito.operations) == Outcome(physical_id=physical_id)

    assert cognito.calls == []
    assert cognito.clients[(POOL, WEB_CLIENT)] == client({**PLAIN_CLIENT, **WEB_OAUTH})


class WatchedCognito(InMemoryCognito):
    """Keeps what each ``change`` passed to ``modify_client`` was given."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict[str, Any]] = []

    def modify_client(
        self,
        user_pool_id: str,
        client_id: str,
        change: Callable[[dict[str, Any]], dict[str, Any] | None],
    ) -> dict[str, Any]:
        def watched(existing: dict[str, Any]) -> dict[str, Any] | None:
            self.seen.append(dict(existing))
            return change(existing)

        return super().modify_client(user_pool_id, client_id, watched)


def test_a_change_made_by_another_writer_between_attempts_is_kept() -> None:
    cognito = WatchedCognito()
    cognito.add_client(POOL, WEB_CLIENT, PLAIN_CLIENT)

    def another_writer(operation: str) -> None:
        if operation == "write_client" and cognito.clients[(POOL, WEB_CLIENT)]["RefreshTokenValidity"] == 30:
            cognito.clients[(POOL, WEB_CLIENT)]["RefreshTokenValidity"] = 7

    cognito.on_call = another_writer
    cognito.fail_next(
        "write_client",
        CognitoError("ConcurrentModificationException", "Modified concurrently", "UpdateUserPoolClient"),
    )
    with pytest.raises(CognitoError, match="ConcurrentModificationException"):
        client_settings.create(create(settings()), cognito.operations)

    # The attempt the operations layer makes next (the fake does not retry by itself).
    outcome = client_settings.create(create(settings()), cognito.operations)

    assert outcome.physical_id == WEB_CLIENT
    # The third read is the converge step's (resources/client_view.py), which finds the client as wanted.
    assert [seen["RefreshTokenValidity"] for seen in cognito.seen] == [30, 7, 7]
    assert cognito.client(POOL, WEB_CLIENT) == client({**PLAIN_CLIENT, **WEB_OAUTH, "RefreshTokenValidity": 7})
    assert written(cognito) == [WEB_CLIENT]


def test_a_write_whose_answer_was_lost_is_seen_as_done_by_the_next_attempt() -> None:
    cognito = WatchedCognito()
    cognito.add_client(POOL, WEB_CLIENT, PLAIN_CLIENT)
    cognito.lose_answer("write_client")

    with pytest.raises(ConnectionClosedError):
        client_settings.create(create(settings()), cognito.operations)
    outcome = client_settings.create(create(settings()), cognito.operations)

    assert outcome.physical_id == WEB_CLIENT
    assert cognito.seen[1] == client({**PLAIN_CLIENT, **WEB_OAUTH})
    assert written(cognito) == [WEB_CLIENT]
    assert cognito.client(POOL, WEB_CLIENT) == client({**PLAIN_CLIENT, **WEB_OAUTH})


def test_is_complete_answers_at_once_without_writing() -> None:
    cognito = cognito_with({WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}})

    outcome = client_settings.is_complete(create(settings()), cognito.operations)

    assert outcome.physical_id == WEB_CLIENT
    assert not outcome.pending
    assert cognito.writes == []


@pytest.mark.parametrize("secret_field", ["ClientSecret", "ClientSecretArn"])
def test_client_credentials_accepts_a_secret_shown_either_way(secret_field: str) -> None:
    cognito = InMemoryCognito(resource_server_scopes={POOL: {"notes/read"}})
    cognito.add_client(POOL, WEB_CLIENT, {**PLAIN_CLIENT, secret_field: "arn-or-secret"})

    outcome = client_settings.create(create(MACHINE_SETTINGS), cognito.operations)

    assert outcome.physical_id == WEB_CLIENT
    assert cognito.client(POOL, WEB_CLIENT)["AllowedOAuthFlows"] == ["client_credentials"]
