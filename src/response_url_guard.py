"""Decides whether a request's ``ResponseURL`` is one CloudFormation would send.

The function writes its answer (status, physical id, data) to that URL, so a
forged event could otherwise make it send data anywhere. CloudFormation's
response URLs are pre-signed HTTPS URLs on Amazon S3 in every partition.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# The DNS suffixes of the AWS partitions (aws, aws-us-gov: amazonaws.com;
# aws-cn: amazonaws.com.cn; aws-iso: c2s.ic.gov; aws-iso-b: sc2s.sgov.gov).
AMAZON_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".c2s.ic.gov", ".sc2s.sgov.gov")


def without_query(url: object) -> str:
    """The URL with its query string (the pre-signature) removed, safe to log."""
    if not isinstance(url, str):
        return f"<{type(url).__name__}>"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:200]


def response_url_problem(response_url: object, endpoint_url: str | None) -> str | None:
    """Why the URL must not be answered, or ``None`` when it may be."""
    if not isinstance(response_url, str) or not response_url:
        return "the event has no ResponseURL"
    try:
        parts = urlsplit(response_url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return "the ResponseURL is not a valid URL"
    if parts.scheme != "https":
        return "the ResponseURL is not an HTTPS URL"
    if parts.username is not None or parts.password is not None:
        return "the ResponseURL carries credentials"
    if _is_loopback(host):
        if endpoint_url is not None and _is_loopback((urlsplit(endpoint_url).hostname or "").lower()):
            return None  # local development: AWS_ENDPOINT_URL points at this machine
        return "the ResponseURL is on loopback but AWS_ENDPOINT_URL does not point at a local endpoint"
    if port not in (None, 443):
        return "the ResponseURL uses a non-standard port"
    if not host.endswith(AMAZON_HOST_SUFFIXES) or not _names_s3(host):
        return "the ResponseURL is not on an Amazon S3 host"
    return None


def _names_s3(host: str) -> bool:
    return any(label == "s3" or label.startswith("s3-") for label in host.split("."))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
