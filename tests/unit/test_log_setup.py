"""No pre-signature or client secret reaches a log line, whichever handler writes it; each invocation sets its level."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from cfn.logs import REDACTOR, install_redaction, redact, use_request_ids

SECRETS = ("sig-secret", "cred-secret", "token-secret", "v2-secret", "AKIAEXAMPLE", "client-secret")


@pytest.fixture
def late_handler() -> Iterator[io.StringIO]:
    """Redaction installed first, then a handler added to the root and one to a child logger."""
    factory = logging.getLogRecordFactory()
    install_redaction()
    stream = io.StringIO()
    root_handler, child_handler = logging.StreamHandler(stream), logging.StreamHandler(stream)
    formatter = logging.Formatter("%(message)s")
    root_handler.setFormatter(formatter)
    child_handler.setFormatter(formatter)
    logging.root.addHandler(root_handler)
    child = logging.getLogger("tests.late.child")
    child.addHandler(child_handler)
    yield stream
    child.removeHandler(child_handler)
    logging.root.removeHandler(root_handler)
    logging.setLogRecordFactory(factory)


@pytest.mark.parametrize(
    "text",
    [
        "PUT https://bucket.s3.amazonaws.com/key?X-Amz-Signature=sig-secret&X-Amz-Credential=cred-secret",
        "PUT HTTPS://bucket.s3.amazonaws.com/key?X-Amz-Signature=sig-secret",
        "PUT Https://bucket.s3.amazonaws.com/key?x-amz-signature=sig-secret",
        "query: X-Amz-Signature=sig-secret&X-Amz-Security-Token=token-secret",
        "x-amz-credential=cred-secret x-amz-security-token=token-secret",
        "AWSAccessKeyId=AKIAEXAMPLE&Expires=1&Signature=v2-secret",
        "{'X-Amz-Security-Token': 'token-secret', 'signature': \"v2-secret\"}",
        "{'ClientSecret': 'client-secret'}",
        '{"ClientSecret": "client-secret"}',
    ],
)
def test_presigned_parameters_and_client_secrets_are_redacted(text: str) -> None:
    redacted = redact(text)

    assert not any(secret in redacted for secret in SECRETS), redacted
    assert "<redacted>" in redacted


def test_signature_never_reaches_a_handler_added_after_installation(
    late_handler: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    child = logging.getLogger("tests.late.child")
    url = "HTTPS://bucket.s3.amazonaws.com/key?X-Amz-Signature=sig-secret&X-Amz-Credential=cred-secret"

    child.debug("sending to %s", url)
    child.info("%s", {"ResponseURL": url, "ClientSecret": "client-secret"})
    try:
        raise ValueError(f"could not PUT {url}")
    except ValueError:
        child.exception("failed")
    child.warning("stack", stack_info=True)  # Https://b.s3.amazonaws.com/k?X-Amz-Security-Token=token-secret

    text = late_handler.getvalue()
    assert "sending to HTTPS://bucket.s3.amazonaws.com/key?<redacted>" in text
    assert "ValueError: could not PUT" in text, "the traceback itself is still logged"
    assert "Stack (most recent call last)" in text
    assert not any(secret in text for secret in SECRETS), text
    assert not any(secret in caplog.text for secret in SECRETS)


def test_a_bad_format_call_is_logged_as_text_not_as_a_logging_error(
    late_handler: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    template = "%s %d"  # a mismatch the linter would catch in a literal
    logging.getLogger("tests.late.child").warning(template, "only one argument")

    assert "Logging error" not in capsys.readouterr().err
    assert "only one argument" in late_handler.getvalue()


def test_installation_is_idempotent(late_handler: io.StringIO) -> None:
    factory = logging.getLogRecordFactory()

    install_redaction()
    install_redaction()

    assert logging.getLogRecordFactory() is factory
    for root_handler in logging.root.handlers:
        assert root_handler.filters.count(REDACTOR) == 1


@pytest.fixture
def levels_kept() -> Iterator[None]:
    loggers = [logging.root] + [logging.getLogger(name) for name in ("boto", "boto3", "botocore", "urllib3")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.usefixtures("levels_kept")
def test_each_invocation_sets_its_levels_whatever_the_one_before_left() -> None:
    botocore = logging.getLogger("botocore")
    use_request_ids({}, "a-1", "DEBUG", "INFO")
    assert (logging.root.level, botocore.level) == (logging.DEBUG, logging.INFO)
    assert logging.getLogger("tests.any.child").isEnabledFor(logging.DEBUG)

    # Something in the function (a library) changes a level between two invocations.
    logging.root.setLevel(logging.ERROR)
    assert not logging.getLogger("tests.any.child").isEnabledFor(logging.DEBUG)  # and the loggers remember that
    use_request_ids({}, "a-2", "DEBUG", "WARNING")

    assert (logging.root.level, botocore.level) == (logging.DEBUG, logging.WARNING)
    assert logging.getLogger("tests.any.child").isEnabledFor(logging.DEBUG)
    use_request_ids({}, "a-3", "INFO", "WARNING")
    assert not logging.getLogger("tests.any.child").isEnabledFor(logging.DEBUG)
