"""Draw the app icons (PNG) from static/img/icon.svg with the system Chromium; the PNGs are committed.

Run again after changing icon.svg:

    .venv/bin/python bench/make_icons.py

- icon-192.png, icon-512.png: the SVG as it is (rounded corners, transparent outside them), "any" purpose.
- icon-maskable-512.png: full-bleed square, for launchers that cut their own shape; the ring stays
  inside the maskable safe zone (a circle of 40 % of the size around the centre).
- apple-touch-icon.png (180): full-bleed too, since iOS rounds the corners itself and would paint
  transparent ones black.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "static" / "img"
SOURCE = (IMG / "icon.svg").read_text()
FULL_BLEED = re.sub(r'rx="[^"]*"\s*', "", SOURCE, count=1)  # the background rect loses its rounding
ICONS = {
    "icon-192.png": (192, SOURCE),
    "icon-512.png": (512, SOURCE),
    "icon-maskable-512.png": (512, FULL_BLEED),
    "apple-touch-icon.png": (180, FULL_BLEED),
}


def page_for(svg: str, size: int) -> str:
    data = base64.b64encode(svg.encode()).decode()
    return (
        "<!doctype html><style>html,body{margin:0;background:transparent}img{display:block}</style>"
        f'<img src="data:image/svg+xml;base64,{data}" width="{size}" height="{size}">'
    )


def main() -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, (size, svg) in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            page.set_content(page_for(svg, size))
            page.locator("img").screenshot(path=str(IMG / name), omit_background=True)
            page.close()
            print(f"static/img/{name}: {size}×{size}, {(IMG / name).stat().st_size} bytes")
        browser.close()


if __name__ == "__main__":
    main()
