"""The branding example's images and styles, as the branding tests (decisions and lifecycle) use them."""

from __future__ import annotations

import base64
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "branding"
PNG = (EXAMPLE / "background.png").read_bytes()
SVG = (EXAMPLE / "logo.svg").read_bytes()
BUCKET = "notes-branding-assets"
GREEN = {"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "2e7d32ff"}}}}}
BLUE = {"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "1565c0ff"}}}}}
LOGO = {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "SVG", "Bytes": base64.b64encode(SVG).decode()}
BACKGROUND = {
    "Category": "PAGE_BACKGROUND",
    "ColorMode": "DYNAMIC",
    "Extension": "PNG",
    "S3Uri": f"s3://{BUCKET}/bg.png",
}
