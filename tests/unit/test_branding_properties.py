"""Branding properties, the editor-export conversion and the asset limits, in milliseconds.

Properties are built as CloudFormation sends them (``as_cloudformation_sends``:
every scalar a string, nested ones included) unless a row says it passes JSON text.
Each refusal row names the text the user reads. The research behind the rules is
``docs/design/branding.md``.
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from local.cfn_events import as_cloudformation_sends
from local.cfn_yaml import load_template
from properties.branding import Branding, read_branding, restored_scalars, settings_from_export
from properties.branding_assets import (
    MAX_ASSET_BYTES,
    MAX_INLINE_ASSET_BYTES,
    BrandingAsset,
    S3Object,
    asset_file_problem,
    buckets_not_allowed,
    detected_image_type,
    parse_assets,
    request_size_problem,
)
from properties.parsing import PropertyReader

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "branding"
RESOURCE_TYPE = "Custom::CognitoUserPoolClientSettings"

PNG = (EXAMPLE / "background.png").read_bytes()
SVG = (EXAMPLE / "logo.svg").read_bytes()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16
ICO = b"\x00\x00\x01\x00\x01\x00" + b"\x00" * 16
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 16

# The editor's style as DescribeManagedLoginBrandingByClient answers it (the CLI's JSON).
EXPORT: dict[str, Any] = json.loads((EXAMPLE / "style.json").read_text())
STYLE: dict[str, Any] = EXPORT["ManagedLoginBranding"]
SETTINGS: dict[str, Any] = STYLE["Settings"]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def asset(category: str = "FORM_LOGO", mode: str = "LIGHT", extension: str = "SVG", **file: str) -> dict[str, str]:
    return {"Category": category, "ColorMode": mode, "Extension": extension, **(file or {"Bytes": b64(SVG)})}


def read(properties: dict[str, Any], *, as_text: bool = False) -> tuple[Branding, list[str]]:
    """``read_branding`` on properties as CloudFormation sends them; JSON text stays text."""
    raw = as_cloudformation_sends(properties)
    reader = PropertyReader(RESOURCE_TYPE, raw)
    return read_branding(reader), reader.problems


def custom(settings: Any, assets: list[Any] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {"ManagedLoginBranding": "custom", "BrandingSettings": settings}
    if assets is not None:
        properties["BrandingAssets"] = assets
    return properties


def only_problem(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


# --- ManagedLoginBranding ----------------------------------------------------


@pytest.mark.parametrize(
    ("properties", "branding"),
    [
        ({}, Branding(mode="auto")),
        ({"ManagedLoginBranding": "auto"}, Branding(mode="auto")),
        ({"ManagedLoginBranding": "none"}, Branding(mode="none")),
        ({"ManagedLoginBranding": "none", "BrandingAssets": []}, Branding(mode="none")),
    ],
)
def test_auto_and_none_carry_no_style(properties: dict[str, Any], branding: Branding) -> None:
    assert read(properties) == (branding, [])


@pytest.mark.parametrize(
    ("properties", "problem"),
    [
        ({"ManagedLoginBranding": "fancy"}, "ManagedLoginBranding must be one of auto, none, custom, got 'fancy'"),
        (
            {"ManagedLoginBranding": "custom"},
            "ManagedLoginBranding: custom needs BrandingSettings: the style's settings document, "
            "for example the output of aws cognito-idp describe-managed-login-branding-by-client",
        ),
        (
            {"BrandingSettings": SETTINGS},
            "BrandingSettings is used only with ManagedLoginBranding: custom (it is auto)",
        ),
        (
            {"ManagedLoginBranding": "none", "BrandingAssets": [asset()]},
            "BrandingAssets is used only with ManagedLoginBranding: custom (it is none)",
        ),
    ],
)
def test_branding_properties_that_do_not_fit_the_mode_are_refused(properties: dict[str, Any], problem: str) -> None:
    branding, problems = read(properties)

    assert only_problem(problems) == problem
    assert branding.settings_json is None


# --- BrandingSettings: the shapes an export comes in -------------------------


def with_response_metadata(export: dict[str, Any]) -> dict[str, Any]:
    return {**export, "ResponseMetadata": {"HTTPStatusCode": 200, "RequestId": "0f1e2d3c"}}


def cli_input(style: dict[str, Any]) -> dict[str, Any]:
    """update-managed-login-branding --cli-input-json, as the AWS CLI's example writes it."""
    return {key: style[key] for key in ("ManagedLoginBrandingId", "UserPoolId", "UseCognitoProvidedValues", "Settings")}


@pytest.mark.parametrize(
    ("shape", "value"),
    [
        ("the settings document", SETTINGS),
        ("the settings document as JSON text", json.dumps(SETTINGS)),
        ("the Describe answer", EXPORT),
        ("the Describe answer as JSON text", json.dumps(EXPORT, indent=4)),
        ("the style inside it", STYLE),
        ("a boto3 answer dumped whole", with_response_metadata(EXPORT)),
        ("an update-managed-login-branding input file", cli_input(STYLE)),
        ("a style whose Settings is JSON text", {**STYLE, "Settings": json.dumps(SETTINGS)}),
        (
            "a native resource's Properties",
            {"UserPoolId": "us-east-1_NotesPool", "ClientId": "c", "Settings": SETTINGS},
        ),
    ],
    ids=lambda item: item if isinstance(item, str) else "",
)
def test_every_export_shape_gives_the_same_settings_document(shape: str, value: Any) -> None:
    branding, problems = read(custom(value))

    assert problems == []
    assert branding.mode == "custom"
    assert branding.settings == SETTINGS
    assert branding.assets == ()


def test_read_only_fields_of_the_export_are_not_sent() -> None:
    branding, _ = read(custom(EXPORT))

    sent = json.loads(str(branding.settings_json))
    assert set(sent) == {"categories", "componentClasses", "components"}


def test_numbers_and_booleans_cloudformation_turned_into_text_are_restored_but_colours_stay_text() -> None:
    settings = {
        "componentClasses": {"buttons": {"borderRadius": 16.0}, "input": {"borderRadius": 8}},
        "components": {
            "form": {"logo": {"enabled": True}},
            "pageBackground": {"lightMode": {"color": "00000000"}, "darkMode": {"color": "12345678"}},
            "primaryButton": {"lightMode": {"defaults": {"backgroundColor": "10000000", "textColor": "ffffffff"}}},
            "favicon": {"enabledTypes": ["ICO", "SVG"]},
        },
        "categories": {"signUp": {"acceptanceElements": [{"enforcement": "NONE", "textKey": "en"}]}},
    }
    sent_by_cloudformation = as_cloudformation_sends(settings)
    assert sent_by_cloudformation["componentClasses"]["buttons"]["borderRadius"] == "16.0"

    assert restored_scalars(sent_by_cloudformation) == settings
    assert read(custom(settings)) == (read(custom(json.dumps(settings)))[0], [])


def test_json_text_is_taken_exactly_as_written() -> None:
    # Nothing was lost in text, so nothing is restored: a string stays a string.
    settings = {"categories": {"global": {"colorSchemeMode": "LIGHT"}}, "components": {"x": {"label": "16"}}}

    branding, problems = read(custom(json.dumps(settings)))

    assert problems == []
    assert branding.settings == settings


def test_reserved_components_are_kept_as_exported() -> None:
    # "not currently implemented and reserved for future use" (CreateManagedLoginBranding),
    # yet Describe returns them and the CLI's own update example sends them back.
    settings = {"categories": {"form": {"instructions": {"enabled": False}, "sessionTimerDisplay": "NONE"}}}

    assert read(custom(json.dumps(settings)))[0].settings == settings


def test_unknown_sections_beside_known_ones_go_to_cognito_unchanged() -> None:
    settings = {**SETTINGS, "typography": {"fontFamily": "serif"}}

    assert read(custom(json.dumps(settings)))[0].settings == settings


def test_the_export_s_images_become_assets() -> None:
    style = {**STYLE, "Assets": [asset("PAGE_BACKGROUND", "DARK", "PNG", Bytes=b64(PNG), ResourceId="bg-1")]}

    branding, problems = read(custom({"ManagedLoginBranding": style}))

    assert problems == []
    assert branding.assets == (
        BrandingAsset("PAGE_BACKGROUND", "DARK", "PNG", "BrandingSettings Assets[0]", PNG, None, "bg-1"),
    )
    assert branding.assets[0].request_entry() == {
        "Category": "PAGE_BACKGROUND",
        "ColorMode": "DARK",
        "Extension": "PNG",
        "Bytes": PNG,
        "ResourceId": "bg-1",
    }


def test_a_default_style_exported_with_merged_resources_is_taken_as_custom() -> None:
    style = {**STYLE, "UseCognitoProvidedValues": True}

    branding, problems = read(custom(style))

    assert problems == []
    assert branding.settings == SETTINGS


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('{"categories": {', "BrandingSettings is not valid JSON: Expecting property name enclosed in double quotes"),
        ("[1, 2]", "BrandingSettings must be a JSON object (a settings document or an exported style)"),
        ({"theme": "dark"}, "BrandingSettings is not a settings document: its top level has theme, expected "),
        ("{}", "BrandingSettings is not a settings document: its top level has nothing, expected "),
        (
            {"settings": SETTINGS, "useCognitoProvidedValues": False},
            "BrandingSettings looks like CDK or Terraform properties (settings, useCognitoProvidedValues); "
            "pass the value of their settings alone",
        ),
        (
            {"ManagedLoginBranding": {**STYLE, "UseCognitoProvidedValues": True, "Settings": None}},
            "BrandingSettings is Cognito's default style (UseCognitoProvidedValues: true, no Settings): "
            "use ManagedLoginBranding: auto, or export it with --return-merged-resources",
        ),
        (
            {"ManagedLoginBranding": {"ManagedLoginBrandingId": "x", "Assets": []}},
            "BrandingSettings is an exported style without Settings",
        ),
        ({"ManagedLoginBranding": "5c1f0e4a"}, "BrandingSettings ManagedLoginBranding must be an object, got '5c1f"),
        ({**STYLE, "Name": "green"}, "BrandingSettings has Name beside the style's fields ("),
        ({**STYLE, "Settings": "[]"}, "BrandingSettings settings must be a JSON object, got []"),
        ({**STYLE, "Settings": "{oops"}, "BrandingSettings Settings is not valid JSON: "),
        ({**STYLE, "UseCognitoProvidedValues": "maybe"}, "UseCognitoProvidedValues must be true or false, got 'maybe'"),
        (
            {**STYLE, "Assets": [{"Category": "PAGE_BACKGROUND", "ColorMode": "LIGHT", "Extension": "PNG"}]},
            "BrandingSettings Assets[0] has no Bytes: the image itself is not in the export; "
            "give it in BrandingAssets with an S3Uri, or export again with the image data",
        ),
        ('{"categories": {"x": 1e400}}', "BrandingSettings has a number JSON cannot carry"),
    ],
)
def test_an_export_that_cannot_be_converted_is_refused_saying_what_to_do(value: Any, problem: str) -> None:
    branding, problems = read(custom(value))

    assert problem in only_problem(problems)
    assert branding == Branding(mode="custom")


# --- BrandingAssets ------------------------------------------------------------


def parsed(entries: Any) -> tuple[tuple[BrandingAsset, ...], list[str]]:
    problems: list[str] = []
    assets = parse_assets(as_cloudformation_sends(entries), source="BrandingAssets", exported=False, problems=problems)
    return assets, problems


@pytest.mark.parametrize(
    ("uri", "location"),
    [
        ("s3://notes-branding/branding/background.png", S3Object("notes-branding", "branding/background.png")),
        ("s3://notes.branding-1/a b/logo (1).png", S3Object("notes.branding-1", "a b/logo (1).png")),
        (
            "s3://notes-branding/bg.png?versionId=3HL4kqtJlcpXroDTDmJ",
            S3Object("notes-branding", "bg.png", "3HL4kqtJlcpXroDTDmJ"),
        ),
    ],
)
def test_an_s3_asset_is_read_later_from_its_bucket_and_key(uri: str, location: S3Object) -> None:
    assets, problems = parsed([asset("PAGE_BACKGROUND", "DYNAMIC", "PNG", S3Uri=uri)])

    assert problems == []
    assert assets == (BrandingAsset("PAGE_BACKGROUND", "DYNAMIC", "PNG", "BrandingAssets[0]", None, location),)
    assert location.uri == uri


def test_inline_bytes_may_be_wrapped_over_lines_as_a_yaml_block_leaves_them() -> None:
    text = b64(SVG)
    wrapped = "\n".join(text[i : i + 60] for i in range(0, len(text), 60))

    assets, problems = parsed([asset(Bytes=wrapped)])

    assert problems == []
    assert assets[0].data == SVG


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("logo.png", "BrandingAssets[0] must be an object with Category, ColorMode, Extension and S3Uri or Bytes"),
        (asset(category="LOGO"), "BrandingAssets[0] Category must be one of FAVICON_ICO, "),
        (asset(mode="BROWSER_ADAPTIVE"), "BrandingAssets[0] ColorMode must be one of LIGHT, DARK, DYNAMIC, got"),
        (asset(extension="JPG"), "BrandingAssets[0] Extension must be one of ICO, JPEG, PNG, SVG, WEBP, got 'JPG'"),
        ({**asset(), "ResourceId": "logo/1"}, "BrandingAssets[0] ResourceId 'logo/1' must be 1 to 40 letters"),
        ({**asset(), "ResourceId": "x" * 41}, "BrandingAssets[0] ResourceId 'xxxxxxxx"),
        ({**asset(), "Url": "https://x"}, "BrandingAssets[0] has unknown key(s) Url (allowed: "),
        ({**asset(), "S3Uri": "s3://b/k.svg"}, "BrandingAssets[0] must have exactly one of S3Uri and Bytes"),
        ({"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "SVG"}, "must have exactly one of S3Uri"),
        (asset(S3Uri="https://b.s3.amazonaws.com/k.png"), "BrandingAssets[0] S3Uri must look like s3://bucket/"),
        (asset(S3Uri="s3://My_Bucket/k.png"), "BrandingAssets[0] S3Uri names 'My_Bucket', which is not an S3 bucket"),
        (asset(S3Uri="s3://notes-branding/"), "BrandingAssets[0] S3Uri 's3://notes-branding/' must name an object key"),
        (asset(S3Uri="s3://notes-branding"), "must name an object key"),
        (asset(S3Uri="s3://notes-branding/k.png?versionId="), "S3Uri 's3://notes-branding/k.png?versionId=' has an"),
        (asset(Bytes="not base64!"), "BrandingAssets[0] Bytes is not valid base64"),
        (asset(Bytes=""), "BrandingAssets[0] (FORM_LOGO LIGHT) is an empty file"),
        (asset(Bytes=b64(b"\x00" * (MAX_INLINE_ASSET_BYTES + 1))), "inline images are for small files (at most 16384)"),
        (asset(extension="PNG", Bytes=b64(JPEG)), "(FORM_LOGO LIGHT) has Extension PNG, but the file is a JPEG file"),
        (asset(Bytes=b64(b"GIF89a\x01\x00")), "has Extension SVG, but the file is not an image file Cognito takes"),
        (
            asset("FAVICON_ICO", extension="PNG", Bytes=b64(PNG)),
            "must be an ICO file (Extension ICO), got Extension PNG",
        ),
        (
            asset("FAVICON_SVG", extension="ICO", Bytes=b64(ICO)),
            "must be an SVG file (Extension SVG), got Extension ICO",
        ),
    ],
)
def test_an_asset_that_breaks_a_limit_is_refused_before_any_write(entry: Any, problem: str) -> None:
    assets, problems = parsed([entry])

    assert assets == ()
    assert problem in only_problem(problems)


def test_every_bad_asset_is_reported_at_once() -> None:
    _, problems = parsed([asset(category="LOGO"), asset(mode="SEPIA", extension="GIF")])

    assert [problem.split(" ", 2)[:2] for problem in problems] == [
        ["BrandingAssets[0]", "Category"],
        ["BrandingAssets[1]", "ColorMode"],
        ["BrandingAssets[1]", "Extension"],
    ]


def test_the_same_category_and_colour_mode_twice_is_refused_naming_both_places() -> None:
    style = {**STYLE, "Assets": [asset(Bytes=b64(SVG))]}

    _, problems = read(custom(style, [asset(S3Uri="s3://notes-branding/logo.svg")]))

    assert only_problem(problems) == (
        "BrandingAssets[0] (FORM_LOGO LIGHT) repeats BrandingSettings Assets[0] (FORM_LOGO LIGHT): "
        "give each category and colour mode once"
    )


def test_the_same_category_and_mode_for_two_resource_ids_is_two_assets() -> None:
    icons = [{**asset("IDP_BUTTON_ICON"), "ResourceId": name} for name in ("Google", "Okta")]

    branding, problems = read(custom(SETTINGS, icons))

    assert problems == []
    assert [a.resource_id for a in branding.assets] == ["Google", "Okta"]


def test_more_than_forty_assets_are_refused() -> None:
    entries = [{**asset("IDP_BUTTON_ICON"), "ResourceId": f"idp-{n}"} for n in range(41)]

    _, problems = read(custom(SETTINGS, entries))

    assert only_problem(problems) == "the style has 41 assets; Cognito takes at most 40"


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (PNG, "PNG"),
        (JPEG, "JPEG"),
        (ICO, "ICO"),
        (WEBP, "WEBP"),
        (SVG, "SVG"),
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        (b"<html><body>not svg</body></html>", None),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
        (b"\xff\xfe\x00\x00", None),
    ],
)
def test_a_file_s_type_is_read_from_its_first_bytes(data: bytes, extension: str | None) -> None:
    assert detected_image_type(data) == extension


def test_a_file_read_from_s3_gets_the_same_checks_size_first() -> None:
    logo = BrandingAsset("FORM_LOGO", "LIGHT", "PNG", "BrandingAssets[0]", s3_object=S3Object("b", "logo.png"))

    assert asset_file_problem(logo, PNG) is None
    assert asset_file_problem(logo, b"") == "BrandingAssets[0] (FORM_LOGO LIGHT) is an empty file"
    assert asset_file_problem(logo, PNG + b"\x00" * MAX_ASSET_BYTES) == (
        f"BrandingAssets[0] (FORM_LOGO LIGHT) is {len(PNG) + MAX_ASSET_BYTES} bytes; "
        f"Cognito takes at most {MAX_ASSET_BYTES} bytes per image"
    )
    with pytest.raises(ValueError, match="has not been read"):
        logo.request_entry()
    assert logo.with_data(PNG).request_entry()["Bytes"] == PNG


def test_settings_and_images_over_two_megabytes_in_one_request_are_refused() -> None:
    settings_json = json.dumps(SETTINGS)
    images = [
        BrandingAsset("PAGE_BACKGROUND", mode, "PNG", f"BrandingAssets[{n}]", data=b"\x00" * 800_000)
        for n, mode in enumerate(("LIGHT", "DARK"))
    ]

    assert request_size_problem(settings_json, images[:1]) is None
    problem = request_size_problem(settings_json, images)
    assert problem is not None
    assert problem.endswith("CreateManagedLoginBranding takes at most 2000000 in one request: use smaller images")


def test_an_image_in_a_bucket_the_stack_does_not_list_is_refused_naming_the_parameter() -> None:
    assets, _ = parsed(
        [
            asset("PAGE_BACKGROUND", "LIGHT", "PNG", S3Uri="s3://notes-branding/bg.png"),
            asset("PAGE_BACKGROUND", "DARK", "PNG", S3Uri="s3://someone-else/bg.png"),
            asset(),
        ]
    )

    assert buckets_not_allowed(assets, frozenset({"notes-branding"})) == [
        "BrandingAssets[1] (PAGE_BACKGROUND DARK) is in S3 bucket 'someone-else', which the function may not read; "
        "add it to the provider stack's BrandingAssetBuckets parameter"
    ]


# --- examples/branding ---------------------------------------------------------


def example_properties() -> dict[str, Any]:
    template = load_template(EXAMPLE / "template.yaml")
    properties: dict[str, Any] = copy.deepcopy(template["Resources"]["NotesClientSettings"]["Properties"])
    for entry in properties["BrandingAssets"]:
        if isinstance(entry.get("S3Uri"), dict):
            uri = entry["S3Uri"]["Fn::Sub"].replace("${AssetBucket}", "notes-branding")
            entry["S3Uri"] = uri.replace("${BackgroundKey}", template["Parameters"]["BackgroundKey"]["Default"])
    return properties


def test_the_example_template_carries_the_exported_style_and_both_images() -> None:
    properties = example_properties()
    branding, problems = read(
        {key: properties[key] for key in ("ManagedLoginBranding", "BrandingSettings", "BrandingAssets")}
    )

    assert json.loads(properties["BrandingSettings"]) == EXPORT
    assert problems == []
    assert branding.settings == SETTINGS
    background, logo = branding.assets
    assert background.s3_object == S3Object("notes-branding", "branding/background.png")
    assert logo.data == SVG
    assert asset_file_problem(background, PNG) is None


def test_settings_from_export_appends_to_the_caller_s_problems() -> None:
    problems = ["an earlier problem"]

    assert settings_from_export("nope", problems) is None
    assert problems[0] == "an earlier problem"
    assert problems[1].startswith("BrandingSettings is not valid JSON")
