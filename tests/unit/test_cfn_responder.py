"""The response CloudFormation reads: reasons keep their head, bodies fit 4096 bytes."""

from __future__ import annotations

import json

from cfn_responder import MAX_REASON_CHARS, MAX_RESPONSE_BYTES, fit_response, trim_reason


def test_long_reason_keeps_its_head() -> None:
    reason = "Domain 'x' is already used by another user pool " + "detail " * 100

    trimmed = trim_reason(reason)

    assert len(trimmed) == MAX_REASON_CHARS
    assert trimmed.startswith("Domain 'x' is already used by another user pool")
    assert trimmed.endswith("…")


def test_reason_is_one_line() -> None:
    assert trim_reason("first line\nsecond\tline") == "first line second line"


def test_body_over_the_limit_becomes_a_failed_answer_that_fits() -> None:
    body = {"Status": "SUCCESS", "PhysicalResourceId": "p" * 3000, "Reason": "", "Data": {"Url": "u" * 5000}}

    fitted = fit_response(body)

    assert len(json.dumps(fitted).encode()) <= MAX_RESPONSE_BYTES
    assert fitted["Status"] == "FAILED"
    assert fitted["Data"] == {}


def test_body_within_the_limit_is_unchanged() -> None:
    body = {"Status": "SUCCESS", "PhysicalResourceId": "notes", "Reason": "", "Data": {"BaseUrl": "https://x"}}

    assert fit_response(body) is body
