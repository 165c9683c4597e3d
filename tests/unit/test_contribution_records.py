"""The contribution records and the owner's recorded settings, against a small in-memory Parameter Store.

The store answers GetParametersByPath in short pages that still carry a NextToken,
as the API reference allows ("Request results are returned on a best-effort basis").
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from aws.contributions import Contribution, NoTimeToSettle, RecordTooLarge, SsmUrlContributions
from aws.records import OwnerSettings, ResourceOwner, SsmOwnerRecords, owner_record_fits
from aws.retry import RetryPolicy, is_retryable

POOL, CLIENT = "us-east-1_AbC123", "4a5b6c7d8e9f0a1b2c3d4e5f6a"
STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/preview-pr-42/0f1e2d3c"


class ParameterStore:
    """put/get/delete/get-by-path with pages of at most ``page`` items, each carrying a NextToken until the last."""

    def __init__(self, page: int = 2) -> None:
        self.values: dict[str, str] = {}
        self.page = page
        self.pages_served = 0

    def put_parameter(self, *, Name: str, Value: str, Overwrite: bool, **_: Any) -> dict[str, Any]:  # noqa: N803 (boto3 spells them so)
        if Name in self.values and not Overwrite:
            raise ClientError({"Error": {"Code": "ParameterAlreadyExists"}}, "PutParameter")
        self.values[Name] = Value
        return {}

    def get_parameter(self, *, Name: str) -> dict[str, Any]:  # noqa: N803 (boto3 spells them so)
        if Name not in self.values:
            raise ClientError({"Error": {"Code": "ParameterNotFound"}}, "GetParameter")
        return {"Parameter": {"Name": Name, "Value": self.values[Name]}}

    def delete_parameter(self, *, Name: str) -> dict[str, Any]:  # noqa: N803 (boto3 spells them so)
        if self.values.pop(Name, None) is None:
            raise ClientError({"Error": {"Code": "ParameterNotFound"}}, "DeleteParameter")
        return {}

    def get_parameters_by_path(self, *, Path: str, NextToken: str = "0", **_: Any) -> dict[str, Any]:  # noqa: N803 (boto3 spells them so)
        self.pages_served += 1
        names = sorted(name for name in self.values if name.startswith(Path + "/"))
        start = int(NextToken)
        chosen = names[start : start + self.page]
        page: dict[str, Any] = {"Parameters": [{"Name": n, "Value": self.values[n]} for n in chosen]}
        if start + self.page < len(names) or start == 0:
            page["NextToken"] = str(start + self.page)  # even past the end: short pages may still carry one
        return page


def retry() -> RetryPolicy:
    return RetryPolicy(deadline=1e9, sleep=lambda seconds: None, clock=lambda: 0.0)


def contribution(n: int, *urls: str) -> Contribution:
    return Contribution(f"{n:012x}-Preview{n}", STACK, f"Preview{n}", urls or (f"https://pr-{n}.example.com/",), ())


def test_every_page_is_followed_to_the_last_one() -> None:
    store = ParameterStore(page=2)
    records = SsmUrlContributions(retry(), ssm=lambda: store)
    for n in range(7):
        records.put_contribution(POOL, CLIENT, contribution(n))

    found = records.contributions(POOL, CLIENT)

    assert [c.logical_id for c in found] == [f"Preview{n}" for n in range(7)]
    assert found[0].stack_name == "preview-pr-42"
    assert store.pages_served >= 4


def test_a_record_that_is_not_ours_is_not_a_holder() -> None:
    store = ParameterStore()
    store.values[f"/cognito-hosted-ui-resources/client-urls/{POOL}/{CLIENT}/by-hand"] = "not json"
    records = SsmUrlContributions(retry(), ssm=lambda: store)

    assert records.contributions(POOL, CLIENT) == ()


def test_delete_of_a_record_already_gone_is_success() -> None:
    store = ParameterStore()
    records = SsmUrlContributions(retry(), ssm=lambda: store)
    records.put_contribution(POOL, CLIENT, contribution(1))

    records.delete_contribution(POOL, CLIENT, contribution(1).key)
    records.delete_contribution(POOL, CLIENT, contribution(1).key)

    assert store.values == {}


def test_a_record_larger_than_a_standard_parameter_is_refused_before_writing() -> None:
    store = ParameterStore()
    records = SsmUrlContributions(retry(), ssm=lambda: store)
    long_urls = tuple(f"https://pr-{n}.example.com/{'x' * 200}" for n in range(20))

    with pytest.raises(RecordTooLarge):
        records.put_contribution(POOL, CLIENT, contribution(1, *long_urls))
    assert store.values == {}


def test_the_settle_wait_uses_the_policy_clock_and_stops_at_the_deadline() -> None:
    slept: list[float] = []
    records = SsmUrlContributions(
        RetryPolicy(deadline=10.0, sleep=slept.append, clock=lambda: 0.0), ssm=ParameterStore, settle_seconds=3.0
    )
    records.wait_for_settle()
    assert slept == [3.0]

    late = SsmUrlContributions(
        RetryPolicy(deadline=2.0, sleep=slept.append, clock=lambda: 0.0), ssm=ParameterStore, settle_seconds=3.0
    )
    with pytest.raises(NoTimeToSettle):
        late.wait_for_settle()


def test_too_many_updates_is_retried_like_throttling() -> None:
    error = ClientError({"Error": {"Code": "TooManyUpdates"}}, "PutParameter")
    assert is_retryable(error, repeatable=False)


def test_the_owner_record_keeps_its_settings() -> None:
    store = ParameterStore()
    owners = SsmOwnerRecords(retry(), ssm=lambda: store)
    settings = OwnerSettings(
        callback_urls=("https://app.example.com/callback",),
        logout_urls=("https://app.example.com/",),
        default_redirect_uri="https://app.example.com/callback",
        allowed_oauth_flows=("code",),
        allowed_oauth_scopes=("openid", "email"),
        supported_identity_providers=("COGNITO",),
    )

    owners.record_client_owner(
        POOL, CLIENT, ResourceOwner(STACK, "AppClientSettings", settings=settings), replacing=True
    )
    read = owners.client_owner(POOL, CLIENT)

    assert read is not None
    assert read.settings == settings
    assert not read.settings_omitted


def test_settings_too_large_for_a_record_are_left_out_and_the_record_says_so() -> None:
    store = ParameterStore()
    owners = SsmOwnerRecords(retry(), ssm=lambda: store)
    huge = OwnerSettings(callback_urls=tuple(f"https://app.example.com/{n}/{'y' * 100}" for n in range(50)))
    owner = ResourceOwner(STACK, "AppClientSettings", settings=huge)

    owners.record_client_owner(POOL, CLIENT, owner, replacing=True)
    read = owners.client_owner(POOL, CLIENT)

    assert not owner_record_fits(owner)
    assert read is not None
    assert read.settings is None
    assert read.settings_omitted


def test_an_owner_record_from_before_settings_were_recorded_reads_as_without_settings() -> None:
    store = ParameterStore()
    store.values[f"/cognito-hosted-ui-resources/client-owners/{POOL}/{CLIENT}"] = (
        f'{{"StackId": "{STACK}", "LogicalResourceId": "AppClientSettings"}}'
    )
    read = SsmOwnerRecords(retry(), ssm=lambda: store).client_owner(POOL, CLIENT)

    assert read is not None
    assert read.settings is None
    assert not read.settings_omitted
