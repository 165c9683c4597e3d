"""The content of a custom managed login style: images read, and what a write must do to reach it.

Nothing here writes. ``read_assets`` fetches the images a template names by
``S3Uri`` (only from the buckets the provider stack allows, each checked like an
inline one) and ``writes_needed`` compares the client's style, as Cognito describes
it, with the template's, and says which calls bring it there:

- nothing, when it already matches;
- ``UpdateManagedLoginBranding`` alone, when everything the style holds is still
  wanted: the update sends the complete document and every image;
- a reset to Cognito's provided values first, then the update, when the style holds
  something the template no longer has. Update "preserves existing style settings
  that you don't specify" and merges images by category and colour mode
  (docs/design/branding.md §1), so a removed image, or a removed settings key, would
  otherwise stay. The same style id is kept throughout, so the login page never
  shows "Login pages unavailable"; between the two calls it shows Cognito's
  default look.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aws.objects import ObjectDenied, ObjectError, ObjectMissing, ObjectTooLarge
from aws.operations import Operations
from cognito_ops import BrandingStyle
from properties.branding import Branding
from properties.branding_assets import (
    MAX_ASSET_BYTES,
    BrandingAsset,
    asset_file_problem,
    buckets_not_allowed,
    request_size_problem,
)

NOTHING, UPDATE, RESET_AND_UPDATE = "nothing", "update", "reset-and-update"


@dataclass(frozen=True)
class WantedStyle:
    """The style the template describes, every image read: ready for a request."""

    settings: dict[str, Any]
    assets: tuple[dict[str, Any], ...]


def read_assets(ops: Operations, branding: Branding, problems: list[str]) -> WantedStyle | None:
    """Settings and every image's bytes; problems appended (a bucket not allowed is never read)."""
    settings = branding.settings
    if settings is None:
        return None
    count = len(problems)
    problems.extend(buckets_not_allowed(branding.assets, ops.objects.readable_buckets))
    if len(problems) > count:
        return None
    read = [_with_file(ops, asset, problems) for asset in branding.assets]
    assets = [asset for asset in read if asset is not None]
    if len(problems) > count:
        return None
    size_problem = request_size_problem(branding.settings_json or "", assets)
    if size_problem:
        problems.append(size_problem)
        return None
    return WantedStyle(settings=settings, assets=tuple(asset.request_entry() for asset in assets))


def _with_file(ops: Operations, asset: BrandingAsset, problems: list[str]) -> BrandingAsset | None:
    if asset.data is not None or asset.s3_object is None:
        return asset
    where = asset.s3_object
    try:
        data = ops.objects.read_object(where.bucket, where.key, where.version_id, MAX_ASSET_BYTES)
    except ObjectTooLarge:
        problems.append(f"{asset.label} at {where.uri} is larger than {MAX_ASSET_BYTES} bytes, Cognito's limit")
        return None
    except ObjectMissing as error:
        problems.append(f"{asset.label}: {where.uri} does not exist ({error})")
        return None
    except ObjectDenied as error:
        problems.append(
            f"{asset.label}: the function may not read {where.uri} ({error}); check the bucket's policy "
            "and the provider stack's BrandingAssetBuckets parameter"
        )
        return None
    except ObjectError as error:
        problems.append(f"{asset.label}: {where.uri} could not be read ({error})")
        return None
    problem = asset_file_problem(asset, data)
    if problem:
        problems.append(problem)
        return None
    return asset.with_data(data)


def writes_needed(current: BrandingStyle, wanted: WantedStyle) -> str:
    """NOTHING, UPDATE or RESET_AND_UPDATE, from the style as Cognito describes it now."""
    current_settings = dict(current.settings or {})
    if not current.use_cognito_provided_values and _same(current_settings, current.assets, wanted):
        return NOTHING
    removed_images = _image_slots(current.assets) - _image_slots(wanted.assets)
    removed_settings = _leaf_paths(current_settings) - _leaf_paths(wanted.settings)
    return RESET_AND_UPDATE if removed_images or removed_settings else UPDATE


def _same(settings: Mapping[str, Any], assets: Iterable[Mapping[str, Any]], wanted: WantedStyle) -> bool:
    return _canonical(settings) == _canonical(wanted.settings) and _images(assets) == _images(wanted.assets)


def _canonical(document: Mapping[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def _images(assets: Iterable[Mapping[str, Any]]) -> frozenset[tuple[Any, ...]]:
    return frozenset(
        (a.get("Category"), a.get("ColorMode"), a.get("Extension"), a.get("ResourceId") or None, bytes(a["Bytes"]))
        for a in assets
        if "Bytes" in a
    )


def _image_slots(assets: Iterable[Mapping[str, Any]]) -> frozenset[tuple[Any, Any]]:
    """Cognito keeps one image per (Category, ColorMode): an update merges on that."""
    return frozenset((asset.get("Category"), asset.get("ColorMode")) for asset in assets)


def _leaf_paths(node: Any, path: tuple[str, ...] = ()) -> frozenset[tuple[str, ...]]:
    if isinstance(node, Mapping) and node:
        return frozenset().union(*(_leaf_paths(value, (*path, str(key))) for key, value in node.items()))
    return frozenset({path}) if path else frozenset()
