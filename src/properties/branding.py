"""``ManagedLoginBranding``, ``BrandingSettings`` and ``BrandingAssets`` of a client's settings.

``BrandingSettings`` takes a style as people get it out of Cognito: the settings
document itself, the DescribeManagedLoginBrandingByClient answer (the CLI's
``{"ManagedLoginBranding": {...}}``), or the style object inside it, as an object or
as JSON text. ``settings_from_export`` turns any of them into what
CreateManagedLoginBranding's ``Settings`` and ``Assets`` take, or into problems that
say what to do. The shapes, the differences and the sources are in
``docs/design/branding.md`` §2.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from properties.branding_assets import (
    BrandingAsset,
    asset_list_problems,
    parse_assets,
    request_size_problem,
)
from properties.parsing import PropertyReader, shown

MANAGED_LOGIN_BRANDING = "ManagedLoginBranding"
BRANDING_SETTINGS = "BrandingSettings"
BRANDING_ASSETS = "BrandingAssets"
BRANDING_PROPERTIES = frozenset({MANAGED_LOGIN_BRANDING, BRANDING_SETTINGS, BRANDING_ASSETS})
# auto: Cognito's default style when the client has none; none: never touch
# branding; custom: the template's style.
BRANDING_MODES = ("auto", "none", "custom")

# The top level of a settings document (aws-cli's update-managed-login-branding example).
DOCUMENT_SECTIONS = frozenset({"categories", "componentClasses", "components"})
# ManagedLoginBrandingType, and what a CLI input file or a native resource adds.
STYLE_KEYS = frozenset(
    {
        "Settings",
        "Assets",
        "UseCognitoProvidedValues",
        "ManagedLoginBrandingId",
        "UserPoolId",
        "ClientId",
        "CreationDate",
        "LastModifiedDate",
        "ReturnMergedResources",
    }
)
# CDK and Terraform spell the same properties in camelCase.
CAMEL_CASE_KEYS = frozenset({"settings", "assets", "useCognitoProvidedValues", "returnMergedResources"})
# A boto3 answer dumped whole carries its HTTP metadata beside the style.
RESPONSE_METADATA = "ResponseMetadata"
# A JSON number (RFC 8259): what CloudFormation turned into text.
JSON_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Branding:
    """What the client's style should be; ``settings_json`` and ``assets`` only for ``custom``."""

    mode: str = "auto"
    # The settings document as canonical JSON (sorted keys): frozen, and comparable
    # between an Update's old and new properties.
    settings_json: str | None = None
    assets: tuple[BrandingAsset, ...] = ()

    @property
    def settings(self) -> dict[str, Any] | None:
        return None if self.settings_json is None else dict(json.loads(self.settings_json))


@dataclass(frozen=True)
class ConvertedExport:
    settings: dict[str, Any]
    assets: tuple[BrandingAsset, ...]


def read_branding(reader: PropertyReader) -> Branding:
    """The three branding properties; every problem goes to ``reader.problems``."""
    mode = reader.choice(MANAGED_LOGIN_BRANDING, BRANDING_MODES, default="auto")
    raw_settings, raw_assets = reader.raw.get(BRANDING_SETTINGS), reader.raw.get(BRANDING_ASSETS)
    if mode != "custom":
        for name, value in ((BRANDING_SETTINGS, raw_settings), (BRANDING_ASSETS, raw_assets)):
            if value not in (None, "", []):
                reader.problems.append(f"{name} is used only with {MANAGED_LOGIN_BRANDING}: custom (it is {mode})")
        return Branding(mode=mode)
    if raw_settings in (None, ""):
        reader.problems.append(
            f"{MANAGED_LOGIN_BRANDING}: custom needs {BRANDING_SETTINGS}: the style's settings document, "
            f"for example the output of aws cognito-idp describe-managed-login-branding-by-client"
        )
        return Branding(mode=mode)
    count = len(reader.problems)
    export = settings_from_export(raw_settings, reader.problems)
    listed = parse_assets(raw_assets, source=BRANDING_ASSETS, exported=False, problems=reader.problems)
    if export is None or len(reader.problems) > count:
        return Branding(mode=mode)
    assets = export.assets + listed
    try:
        settings_json = json.dumps(
            export.settings, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except ValueError:
        reader.problems.append(f"{BRANDING_SETTINGS} has a number JSON cannot carry (too large, or not a number)")
        return Branding(mode=mode)
    reader.problems.extend(asset_list_problems(assets))
    size_problem = request_size_problem(settings_json, assets)
    if size_problem:
        reader.problems.append(size_problem)
    return Branding(mode=mode, settings_json=settings_json, assets=assets)


def settings_from_export(value: Any, problems: list[str]) -> ConvertedExport | None:
    """The settings document and images in ``value`` (an export, as an object or JSON text)."""
    as_text = isinstance(value, str)
    document = _parsed(value, BRANDING_SETTINGS, problems) if as_text else value
    if document is None:
        return None
    if not isinstance(document, Mapping):
        problems.append(f"{BRANDING_SETTINGS} must be a JSON object (a settings document or an exported style)")
        return None
    count = len(problems)
    style = _style_in(document, problems)
    if len(problems) > count:
        return None
    if style is None:
        return _converted(document, (), restore=not as_text, problems=problems)
    return _from_style(style, restore=not as_text, problems=problems)


def _parsed(text: str, source: str, problems: list[str]) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(f"{source} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}")
        return None


def _style_in(document: Mapping[str, Any], problems: list[str]) -> Mapping[str, Any] | None:
    """The exported style object, or ``None`` when ``document`` is a bare settings document."""
    keys = set(document) - {RESPONSE_METADATA}
    if keys == {MANAGED_LOGIN_BRANDING}:
        inner = document[MANAGED_LOGIN_BRANDING]
        if isinstance(inner, Mapping):
            return inner
        problems.append(f"{BRANDING_SETTINGS} ManagedLoginBranding must be an object, got {shown(inner)}")
        return None
    if keys & STYLE_KEYS:
        return document
    return None


def _from_style(style: Mapping[str, Any], *, restore: bool, problems: list[str]) -> ConvertedExport | None:
    """Settings and Assets of an exported style; its read-only fields are dropped (design §2)."""
    count = len(problems)
    unknown = sorted(str(key) for key in style if key not in STYLE_KEYS)
    if unknown:
        problems.append(
            f"{BRANDING_SETTINGS} has {', '.join(unknown)} beside the style's fields "
            f"({', '.join(sorted(STYLE_KEYS))}); give the style or its Settings alone"
        )
    provided = _export_flag(style.get("UseCognitoProvidedValues"), problems)
    settings = style.get("Settings")
    if isinstance(settings, str):
        settings, restore = _parsed(settings, f"{BRANDING_SETTINGS} Settings", problems), False
    assets = parse_assets(style.get("Assets"), source=f"{BRANDING_SETTINGS} Assets", exported=True, problems=problems)
    if len(problems) > count:
        return None
    if settings in (None, {}) and provided:
        problems.append(
            f"{BRANDING_SETTINGS} is Cognito's default style (UseCognitoProvidedValues: true, no Settings): "
            f"use {MANAGED_LOGIN_BRANDING}: auto, or export it with --return-merged-resources"
        )
        return None
    if settings is None:
        problems.append(f"{BRANDING_SETTINGS} is an exported style without Settings")
        return None
    return _converted(settings, assets, restore=restore, problems=problems)


def _export_flag(value: Any, problems: list[str]) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if value in ("true", "false"):
        return bool(value == "true")
    problems.append(f"{BRANDING_SETTINGS} UseCognitoProvidedValues must be true or false, got {shown(value)}")
    return False


def _converted(
    settings: Any, assets: tuple[BrandingAsset, ...], *, restore: bool, problems: list[str]
) -> ConvertedExport | None:
    """A settings document checked for its top level; scalars restored when CloudFormation stringified them."""
    if not isinstance(settings, Mapping):
        problems.append(f"{BRANDING_SETTINGS} settings must be a JSON object, got {shown(settings)}")
        return None
    if not DOCUMENT_SECTIONS & set(settings):
        if CAMEL_CASE_KEYS & set(settings):
            problems.append(
                f"{BRANDING_SETTINGS} looks like CDK or Terraform properties ({', '.join(sorted(settings))}); "
                f"pass the value of their settings alone"
            )
        else:
            found = ", ".join(sorted(str(key) for key in settings)) or "nothing"
            problems.append(
                f"{BRANDING_SETTINGS} is not a settings document: its top level has {found}, "
                f"expected {', '.join(sorted(DOCUMENT_SECTIONS))}"
            )
        return None
    document = restored_scalars(settings) if restore else dict(settings)
    return ConvertedExport(settings=dict(document), assets=assets)


def restored_scalars(node: Any, key: str = "") -> Any:
    """Booleans and numbers back from the text CloudFormation made of them (design §2).

    Colours (``color``, ``…Color``) stay text: they are 8-digit hex RGBA, and
    ``"00000000"`` or ``"12345678"`` must not become numbers. Other text is kept.
    """
    if isinstance(node, Mapping):
        return {name: restored_scalars(value, str(name)) for name, value in node.items()}
    if isinstance(node, list):
        return [restored_scalars(item, key) for item in node]
    if not isinstance(node, str) or key == "color" or key.endswith("Color"):
        return node
    if node in ("true", "false"):
        return node == "true"
    if JSON_NUMBER.match(node):
        number = float(node)
        return int(node) if re.fullmatch(r"-?\d+", node) else number
    return node
