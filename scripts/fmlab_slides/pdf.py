"""The decks printed to PDF through Chromium (reveal.js's ``?print-pdf`` layout).

One page per slide: fragments print in their final state and no slide may spill over (the
deck script sets ``pdfSeparateFragments: false`` and ``pdfMaxPagesPerSlide: 1``). The site
is served from a local port for the time it takes; nothing is fetched from elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from local_site import serve

from .links import read_manifest
from .metadata import SlideError
from .render import SLIDE_HEIGHT, SLIDE_WIDTH

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pages(pdf: bytes) -> int:
    """Page objects in a PDF as Chromium writes it (no object streams)."""
    return len(_PAGE_OBJECT.findall(pdf))


def print_deck(page: Any, url: str, target: Path) -> int:
    page.goto(url)
    page.wait_for_selector("html[data-fmlab-ready]")
    page.wait_for_load_state("networkidle")
    pdf: bytes = page.pdf(
        path=str(target),
        width=f"{SLIDE_WIDTH}px",
        height=f"{SLIDE_HEIGHT}px",
        print_background=True,
        prefer_css_page_size=True,
    )
    return count_pages(pdf)


def print_decks(slides: Path, out: Path) -> list[tuple[Path, int]]:
    if not CHROMIUM.exists():
        raise SlideError(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SlideError("playwright is missing (pip install -r requirements-dev.txt)") from None
    decks = read_manifest(slides)
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, int]] = []
    with serve(slides.parent, name="slides-pdf") as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            for deck in decks:
                name = str(deck["deck"]).replace("/", "-")
                target = out / f"{name}.pdf"
                url = f"{origin}/slides/{deck['path']}?print-pdf"
                pages = print_deck(page, url, target)
                if pages != deck["slides"]:
                    raise SlideError(f"{target}: {pages} pages for {deck['slides']} slides")
                written.append((target, pages))
        finally:
            browser.close()
    return written
