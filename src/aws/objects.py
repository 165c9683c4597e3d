"""S3 objects: the branding images a template names by ``S3Uri``, read with GetObject, bounded in size.

The function may read only the buckets the provider stack names in its
``BrandingAssetBuckets`` parameter (the template passes them in the environment, and
grants ``s3:GetObject`` on exactly those): ``readable_buckets`` says which, so a
resource refuses any other bucket before it reads or writes anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Protocol

from botocore.exceptions import ClientError

from aws.clients import aws_client
from aws.errors import AwsRefusal, call_translated
from aws.retry import RetryPolicy

# The template sets it from the BrandingAssetBuckets parameter: bucket names, comma-separated.
READABLE_BUCKETS_VARIABLE = "BRANDING_ASSET_BUCKETS"


class ObjectError(AwsRefusal):
    """S3 refused to give the object."""


class ObjectMissing(ObjectError):
    """No such bucket, key or version (NoSuchBucket, NoSuchKey, NoSuchVersion)."""


class ObjectDenied(ObjectError):
    """AccessDenied: the function's role, or the bucket's policy, does not allow the read."""


class ObjectTooLarge(ObjectError):
    """The object is larger than the caller takes."""


class ObjectOperations(Protocol):
    """What the resources need from S3; ``S3Objects`` is the real one."""

    @property
    def readable_buckets(self) -> frozenset[str]: ...

    def read_object(self, bucket: str, key: str, version_id: str | None, max_bytes: int) -> bytes: ...


def readable_buckets_from_environment() -> frozenset[str]:
    value = os.environ.get(READABLE_BUCKETS_VARIABLE, "")
    return frozenset(name.strip() for name in value.split(",") if name.strip())


def translate_object_error(error: ClientError) -> ObjectError:
    details = error.response.get("Error", {})
    code = str(details.get("Code", ""))
    message = str(details.get("Message", "")) or code
    operation = error.operation_name
    # GetObject answers a missing key with NoSuchKey, or 404 when the caller may not list the bucket.
    if code in ("NoSuchKey", "NoSuchBucket", "NoSuchVersion", "404", "InvalidArgument"):
        return ObjectMissing(code, message, operation)
    if code in ("AccessDenied", "403"):
        return ObjectDenied(code, message, operation)
    return ObjectError(code, message, operation)


class S3Objects:
    def __init__(
        self,
        retry: RetryPolicy,
        readable_buckets: frozenset[str],
        s3: Callable[[], Any] = lambda: aws_client("s3"),
    ) -> None:
        self._retry = retry
        self._readable = readable_buckets
        self._s3 = s3

    @property
    def readable_buckets(self) -> frozenset[str]:
        return self._readable

    def read_object(self, bucket: str, key: str, version_id: str | None, max_bytes: int) -> bytes:
        """The object's bytes; ``ObjectTooLarge`` past ``max_bytes``, read no further than one byte beyond."""
        if bucket not in self._readable:
            # The caller checks first; this keeps a mistake from reaching S3 at all.
            raise ObjectDenied("NotReadable", f"bucket {bucket} is not in {READABLE_BUCKETS_VARIABLE}", "GetObject")
        arguments: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            arguments["VersionId"] = version_id

        def read() -> tuple[int, bytes]:
            response = self._s3().get_object(**arguments)
            body = response["Body"]
            try:
                size = int(response.get("ContentLength") or 0)
                # Past the bound, the body is not read at all.
                return size, b"" if size > max_bytes else bytes(body.read(max_bytes + 1))
            finally:
                body.close()

        size, data = call_translated(self._retry, read, translate_error=translate_object_error)
        if size > max_bytes or len(data) > max_bytes:
            raise ObjectTooLarge(
                "ObjectTooLarge",
                f"s3://{bucket}/{key} is {max(size, len(data))} bytes, more than {max_bytes}",
                "GetObject",
            )
        return data
