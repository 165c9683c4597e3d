"""Decides whether a request's ``ResponseURL`` is one CloudFormation would send.

The function writes its answer (status, physical id, data) to that URL, so a
forged event could otherwise make it send data anywhere. CloudFormation's
response URLs are pre-signed HTTPS URLs into its own response bucket,
``cloudformation-custom-resource-response-<region without dashes>``, on the S3
endpoint of an AWS partition. Forms seen in real events published in public
repositories (searched for "cloudformation-custom-resource-response-"):

- ``cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws%3Acloudformation...``
  (e.g. kickstarter/serverless-approle-manager, test/data/event.js);
- ``cloudformation-custom-resource-response-uswest2.s3-us-west-2.amazonaws.com/...`` and
  ``cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com/...``
  (captured SNS-delivered and Lambda events, 2015-2021);
- ``cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/...``
  (a captured aws-cn event) and ``...-euwest1.s3.eu-west-1.amazonaws.com/...``.

Path-style addresses of the same bucket (``https://s3.us-west-2.amazonaws.com/
cloudformation-custom-resource-response-uswest2/...``) were not seen in those
samples; S3 serves them from the same bucket, so they are accepted too.
The partitions' DNS suffixes and region patterns come from botocore's
``partitions.json``, so a partition botocore knows (e.g. ``amazonaws.eu``) is accepted.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit

from aws.partitions import partitions

_RESPONSE_BUCKET = re.compile(r"cloudformation-custom-resource-response-([a-z0-9]+)")
# After the partition's DNS suffix: an optional bucket label, then the S3 endpoint:
# s3 (global), s3-external-1 (us-east-1's legacy alias), s3-<region>, s3.<region>.
_S3_ENDPOINT = re.compile(
    r"(?:(?P<bucket>[a-z0-9-]+)\.)?s3(?:-external-1|-(?P<dash_region>[a-z0-9-]+)|\.(?P<dot_region>[a-z0-9-]+))?"
)


def without_query(url: object) -> str:
    """The URL with its query string (the pre-signature) removed, safe to log."""
    if not isinstance(url, str):
        return f"<{type(url).__name__}>"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<not a valid URL>"
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
    return _s3_response_bucket_problem(host, parts.path)


def _s3_response_bucket_problem(host: str, path: str) -> str | None:
    problem = "the ResponseURL is not on an Amazon S3 host"
    for partition in partitions():  # aws and aws-us-gov share amazonaws.com: try each
        suffix = "." + partition.dns_suffix
        endpoint = _S3_ENDPOINT.fullmatch(host[: -len(suffix)]) if host.endswith(suffix) else None
        host_region = endpoint and (endpoint["dash_region"] or endpoint["dot_region"])
        if endpoint is None or (host_region and not partition.region_pattern.fullmatch(host_region)):
            continue
        bucket = endpoint["bucket"] or unquote(path.lstrip("/").split("/", 1)[0])  # virtual-hosted or path-style
        bucket_region = _RESPONSE_BUCKET.fullmatch(bucket)
        if bucket_region is None:
            problem = "the ResponseURL is not in CloudFormation's response bucket"
        elif bucket_region[1] == (host_region or "").replace("-", "") or (
            not host_region and bucket_region[1] in partition.compact_regions
        ):
            return None
        else:
            problem = "the ResponseURL's bucket is not CloudFormation's response bucket for that region"
    return problem


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
