"""``AdoptExisting`` and ``RetainOnDelete``, read strictly as CloudFormation sends them ("true"/"false")."""

from __future__ import annotations

from typing import Any

import pytest

from properties.flags import LifecycleFlags, read_lifecycle_flags
from properties.parsing import PropertyReader

RESOURCE_TYPE = "Custom::CognitoUserPoolClientSettings"


def only_problem(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("raw", "flags"),
    [
        ({}, LifecycleFlags()),
        ({"AdoptExisting": "true"}, LifecycleFlags(adopt_existing=True)),
        ({"AdoptExisting": "false", "RetainOnDelete": "true"}, LifecycleFlags(retain_on_delete=True)),
        ({"AdoptExisting": True, "RetainOnDelete": False}, LifecycleFlags(adopt_existing=True)),
        ({"AdoptExisting": "", "RetainOnDelete": ""}, LifecycleFlags()),
    ],
)
def test_lifecycle_flags_read_true_and_false_as_cloudformation_sends_them(
    raw: dict[str, Any], flags: LifecycleFlags
) -> None:
    reader = PropertyReader(RESOURCE_TYPE, raw)

    assert read_lifecycle_flags(reader, adoptable=True) == flags
    assert reader.problems == []


@pytest.mark.parametrize("value", ["True", "yes", "1", "0", "TRUE", " true", ["true"]])
@pytest.mark.parametrize("name", ["AdoptExisting", "RetainOnDelete"])
def test_a_lifecycle_flag_that_is_not_true_or_false_is_refused_naming_it(name: str, value: Any) -> None:
    reader = PropertyReader(RESOURCE_TYPE, {name: value})

    assert read_lifecycle_flags(reader, adoptable=True) == LifecycleFlags()
    assert only_problem(reader.problems).startswith(f"{name} must be true or false, got ")


def test_adopt_existing_on_a_type_that_cannot_adopt_is_refused_and_retain_still_read() -> None:
    reader = PropertyReader("Custom::CognitoDomainCertificate", {"AdoptExisting": "true", "RetainOnDelete": "true"})

    assert read_lifecycle_flags(reader, adoptable=False) == LifecycleFlags(retain_on_delete=True)
    assert only_problem(reader.problems) == "AdoptExisting is not supported by Custom::CognitoDomainCertificate"
