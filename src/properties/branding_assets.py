"""The images of a custom managed login style: ``BrandingAssets``, and the ``Assets`` of an export.

Limits come from the API reference (AssetType; CreateManagedLoginBranding) and
botocore's cognito-idp model; the rules that are ours say so. The research behind
each is in ``docs/design/branding.md`` §1 and §3. Nothing here reads S3: an asset
given by ``S3Uri`` is checked for its shape now and for its file once the function
has read it, with the same ``asset_file_problem``, still before any write.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from properties.parsing import shown

# AssetType enums (API reference, AssetType).
CATEGORIES = (
    "FAVICON_ICO",
    "FAVICON_SVG",
    "EMAIL_GRAPHIC",
    "SMS_GRAPHIC",
    "AUTH_APP_GRAPHIC",
    "PASSWORD_GRAPHIC",
    "PASSKEY_GRAPHIC",
    "PAGE_HEADER_LOGO",
    "PAGE_HEADER_BACKGROUND",
    "PAGE_FOOTER_LOGO",
    "PAGE_FOOTER_BACKGROUND",
    "PAGE_BACKGROUND",
    "FORM_BACKGROUND",
    "FORM_LOGO",
    "IDP_BUTTON_ICON",
)
COLOR_MODES = ("LIGHT", "DARK", "DYNAMIC")
EXTENSIONS = ("ICO", "JPEG", "PNG", "SVG", "WEBP")
# The favicon categories name their file type.
REQUIRED_EXTENSION = {"FAVICON_ICO": "ICO", "FAVICON_SVG": "SVG"}
# AssetListType: at most 40. AssetBytesType: a blob of at most 1,000,000 (Smithy's
# @length counts a blob's bytes); botocore does not check it, so we do.
MAX_ASSETS = 40
MAX_ASSET_BYTES = 1_000_000
# "This operation has a 2-megabyte request-size limit" (CreateManagedLoginBranding).
MAX_REQUEST_BYTES = 2_000_000
# Ours: the template carries inline images twice on Update (old and new properties),
# and a template body is at most 51,200 bytes inline; bigger images belong in S3.
MAX_INLINE_ASSET_BYTES = 16 * 1024
# ResourceIdType: 1 to 40 of ^[\w\- ]+$ (a Java pattern: \w is ASCII).
RESOURCE_ID_PATTERN = re.compile(r"^[\w\- ]{1,40}$", re.ASCII)
# S3 bucket naming rules (S3 user guide, "General purpose bucket naming rules").
BUCKET_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
MAX_KEY_BYTES = 1024
# The provider stack's parameter listing the buckets its function may read.
ASSET_BUCKETS_PARAMETER = "BrandingAssetBuckets"

LISTED_ASSET_KEYS = frozenset({"Category", "ColorMode", "Extension", "S3Uri", "Bytes", "ResourceId"})
EXPORTED_ASSET_KEYS = frozenset({"Category", "ColorMode", "Extension", "Bytes", "ResourceId"})


@dataclass(frozen=True)
class S3Object:
    bucket: str
    key: str
    version_id: str | None = None

    @property
    def uri(self) -> str:
        suffix = f"?versionId={self.version_id}" if self.version_id else ""
        return f"s3://{self.bucket}/{self.key}{suffix}"


@dataclass(frozen=True)
class BrandingAsset:
    """One image of the style: its file inline (``data``) or in S3 (``s3_object``)."""

    category: str
    color_mode: str
    extension: str
    source: str  # where the template gave it, for messages: "BrandingAssets[2]"
    data: bytes | None = None
    s3_object: S3Object | None = None
    resource_id: str | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        """Cognito keeps one image per category and colour mode (and resource id)."""
        return (self.category, self.color_mode, self.resource_id)

    @property
    def label(self) -> str:
        suffix = f" {self.resource_id}" if self.resource_id else ""
        return f"{self.source} ({self.category} {self.color_mode}{suffix})"

    def with_data(self, data: bytes) -> BrandingAsset:
        return dataclasses.replace(self, data=data)

    def request_entry(self) -> dict[str, Any]:
        """The ``AssetType`` sent to Cognito; the file must have been read."""
        if self.data is None:
            raise ValueError(f"{self.label} has not been read from {self.s3_object}")
        entry: dict[str, Any] = {
            "Category": self.category,
            "ColorMode": self.color_mode,
            "Extension": self.extension,
            "Bytes": self.data,
        }
        if self.resource_id:
            entry["ResourceId"] = self.resource_id
        return entry


def parse_assets(value: Any, *, source: str, exported: bool, problems: list[str]) -> tuple[BrandingAsset, ...]:
    """``BrandingAssets`` (``exported=False``) or an export's ``Assets`` (``True``); problems appended."""
    if value is None or value == "":
        return ()
    if not isinstance(value, list):
        problems.append(f"{source} must be a list of assets, got {shown(value)}")
        return ()
    assets = [_parse_asset(entry, f"{source}[{index}]", exported, problems) for index, entry in enumerate(value)]
    return tuple(asset for asset in assets if asset is not None)


def _parse_asset(entry: Any, source: str, exported: bool, problems: list[str]) -> BrandingAsset | None:
    if not isinstance(entry, Mapping):
        problems.append(f"{source} must be an object with Category, ColorMode, Extension and S3Uri or Bytes")
        return None
    count = len(problems)
    allowed = EXPORTED_ASSET_KEYS if exported else LISTED_ASSET_KEYS
    unknown = sorted(str(key) for key in entry if key not in allowed)
    if unknown:
        problems.append(f"{source} has unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
    category = _enum(entry, "Category", CATEGORIES, source, problems)
    color_mode = _enum(entry, "ColorMode", COLOR_MODES, source, problems)
    extension = _enum(entry, "Extension", EXTENSIONS, source, problems)
    resource_id = entry.get("ResourceId") or None
    if resource_id is not None and not (isinstance(resource_id, str) and RESOURCE_ID_PATTERN.match(resource_id)):
        problems.append(f"{source} ResourceId {shown(resource_id)} must be 1 to 40 letters, digits, _, - or spaces")
    data, s3_object = _file_reference(entry, source, exported, problems)
    if len(problems) > count:
        return None
    asset = BrandingAsset(str(category), str(color_mode), str(extension), source, data, s3_object, resource_id)
    if data is not None:
        problem = asset_file_problem(asset, data)
        if problem:
            problems.append(problem)
            return None
    return asset


def _enum(
    entry: Mapping[str, Any], name: str, allowed: tuple[str, ...], source: str, problems: list[str]
) -> str | None:
    value = entry.get(name)
    if value not in allowed:
        problems.append(f"{source} {name} must be one of {', '.join(allowed)}, got {shown(value)}")
        return None
    return str(value)


def _file_reference(
    entry: Mapping[str, Any], source: str, exported: bool, problems: list[str]
) -> tuple[bytes | None, S3Object | None]:
    encoded, uri = entry.get("Bytes"), entry.get("S3Uri")
    if exported and encoded is None:
        problems.append(
            f"{source} has no Bytes: the image itself is not in the export; "
            f"give it in BrandingAssets with an S3Uri, or export again with the image data"
        )
        return None, None
    if not exported and (encoded is None) == (uri is None):
        problems.append(f"{source} must have exactly one of S3Uri and Bytes")
        return None, None
    if uri is not None:
        return None, _parse_s3_uri(uri, source, problems)
    data = _decode_base64(encoded, source, problems)
    if data is not None and not exported and len(data) > MAX_INLINE_ASSET_BYTES:
        problems.append(
            f"{source} Bytes holds {len(data)} bytes; inline images are for small files "
            f"(at most {MAX_INLINE_ASSET_BYTES}): put it in S3 and give its S3Uri"
        )
        return None, None
    return data, None


def _decode_base64(encoded: Any, source: str, problems: list[str]) -> bytes | None:
    if not isinstance(encoded, str):
        problems.append(f"{source} Bytes must be base64 text, got {shown(encoded)}")
        return None
    # A YAML block scalar may wrap the text over several lines.
    compact = "".join(encoded.split())
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        problems.append(f"{source} Bytes is not valid base64")
        return None


def _parse_s3_uri(uri: Any, source: str, problems: list[str]) -> S3Object | None:
    """``s3://bucket/key``, as the S3 console's "Copy S3 URI" gives it, optionally ``?versionId=``."""
    if not isinstance(uri, str) or not uri.startswith("s3://"):
        problems.append(f"{source} S3Uri must look like s3://bucket/path/logo.png, got {shown(uri)}")
        return None
    location, _, version_id = uri[len("s3://") :].partition("?versionId=")
    bucket, _, key = location.partition("/")
    if not BUCKET_PATTERN.match(bucket) or ".." in bucket:
        problems.append(f"{source} S3Uri names {shown(bucket)}, which is not an S3 bucket name")
        return None
    if not key or len(key.encode()) > MAX_KEY_BYTES:
        problems.append(f"{source} S3Uri {shown(uri)} must name an object key (1 to {MAX_KEY_BYTES} bytes)")
        return None
    if "?versionId=" in uri and not version_id:
        problems.append(f"{source} S3Uri {shown(uri)} has an empty versionId")
        return None
    return S3Object(bucket, key, version_id or None)


def detected_image_type(data: bytes) -> str | None:
    """The ``Extension`` the file's first bytes announce, or ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x00\x00\x01\x00"):
        return "ICO"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return "SVG" if "<svg" in text and text.lstrip().startswith("<") else None


def asset_file_problem(asset: BrandingAsset, data: bytes) -> str | None:
    """Why this file cannot be sent as this asset, or ``None`` (size, type, category)."""
    if not data:
        return f"{asset.label} is an empty file"
    if len(data) > MAX_ASSET_BYTES:
        return f"{asset.label} is {len(data)} bytes; Cognito takes at most {MAX_ASSET_BYTES} bytes per image"
    required = REQUIRED_EXTENSION.get(asset.category)
    if required and asset.extension != required:
        return f"{asset.label} must be an {required} file (Extension {required}), got Extension {asset.extension}"
    # Ours: Cognito's handling of a file of another type is not documented, and a
    # browser would not draw it.
    detected = detected_image_type(data)
    if detected != asset.extension:
        found = f"a {detected} file" if detected else "not an image file Cognito takes (ICO, JPEG, PNG, SVG, WEBP)"
        return f"{asset.label} has Extension {asset.extension}, but the file is {found}"
    return None


def asset_list_problems(assets: Sequence[BrandingAsset]) -> list[str]:
    """At most 40 assets, one per (Category, ColorMode, ResourceId)."""
    problems = []
    if len(assets) > MAX_ASSETS:
        problems.append(f"the style has {len(assets)} assets; Cognito takes at most {MAX_ASSETS}")
    seen: dict[tuple[str, str, str | None], BrandingAsset] = {}
    for asset in assets:
        first = seen.setdefault(asset.key, asset)
        if first is not asset:
            problems.append(f"{asset.label} repeats {first.label}: give each category and colour mode once")
    return problems


def request_size_problem(settings_json: str, assets: Iterable[BrandingAsset]) -> str | None:
    """The request (settings and base64 images of the files known so far) over 2 MB, or ``None``."""
    images = [asset.data for asset in assets if asset.data is not None]
    # Each image travels as base64 (4 characters per 3 bytes) with about 100 bytes of keys.
    size = len(settings_json.encode()) + sum(4 * math.ceil(len(data) / 3) + 100 for data in images)
    if size <= MAX_REQUEST_BYTES:
        return None
    return (
        f"the style's settings and images come to about {size} bytes; "
        f"CreateManagedLoginBranding takes at most {MAX_REQUEST_BYTES} in one request: use smaller images"
    )


def buckets_not_allowed(assets: Iterable[BrandingAsset], allowed: frozenset[str]) -> list[str]:
    """Problems for assets in buckets the function may not read (the stack's parameter)."""
    return [
        f"{asset.label} is in S3 bucket {shown(asset.s3_object.bucket)}, which the function may not read; "
        f"add it to the provider stack's {ASSET_BUCKETS_PARAMETER} parameter"
        for asset in assets
        if asset.s3_object is not None and asset.s3_object.bucket not in allowed
    ]
