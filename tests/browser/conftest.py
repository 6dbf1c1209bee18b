"""Fixtures for the browser tests: the built site on a local port and one Chromium.

The site is `_build/html` (built by `make book`); every page listed in `_toc.yml` becomes
its own test. Chromium is Debian's `/usr/bin/chromium`, driven by Playwright from PyPI
(never `playwright install`). Without Chromium the tests skip locally but fail under
`CI=true`, where nothing may be skipped.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# The local server is shared with `make pdf` and `make slides-pdf`, which live in scripts/.
sys.path.insert(0, str(ROOT / "scripts"))
from local_site import serve  # noqa: E402 - scripts/ must be on the path first

# A scratch copy of the book (say, with an experiment notebook in its toc) can be checked
# by pointing FMLAB_BOOK_ROOT at it; by default the book is this checkout.
BOOK_ROOT = Path(os.environ.get("FMLAB_BOOK_ROOT", ROOT)).resolve()
SITE = BOOK_ROOT / "_build" / "html"
SCREENSHOTS = BOOK_ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# axe-core, fetched by scripts/vendor_js.py for the tests only (never part of the site).
AXE = ROOT / "tests" / "browser" / "_vendor" / "axe.min.js"
# The widths the site is checked at: a phone, a tablet held upright, a laptop.
PHONE, TABLET, DESKTOP = 390, 768, 1280
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
_SOURCE_SUFFIXES = (".md", ".ipynb", ".rst")


def _toc_files(node: Any) -> Iterator[str]:
    # Every `root:`, `file:` and `glob:` anywhere in the jb-book/jb-article structure.
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("root", "file") and isinstance(value, str):
                yield value
            elif key == "glob" and isinstance(value, str):
                yield from _glob_files(value)
            else:
                yield from _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_files(item)


def _glob_files(pattern: str) -> Iterator[str]:
    matches = {
        path.relative_to(BOOK_ROOT).with_suffix("").as_posix()
        for suffix in _SOURCE_SUFFIXES
        for path in BOOK_ROOT.glob(pattern + suffix)
    }
    yield from sorted(matches)


def toc_pages() -> list[str]:
    """Site paths of the pages in `_toc.yml`, root first, plus the `index.html` redirect."""
    toc = yaml.safe_load((BOOK_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages: list[str] = []
    for entry in _toc_files(toc):
        stem = entry.removesuffix("/")
        for suffix in _SOURCE_SUFFIXES:
            stem = stem.removesuffix(suffix)
        page = f"{stem}.html"
        if page not in pages:
            pages.append(page)
    return [*pages, "index.html"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" in metafunc.fixturenames:
        pages = toc_pages()
        metafunc.parametrize("page_path", pages, ids=pages)


def _missing_browser(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (under CI=true nothing is skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"no built site at {SITE.relative_to(BOOK_ROOT)}: run `make book` first",
            pytrace=False,
        )
    return SITE


@pytest.fixture(scope="session")
def origin(site: Path) -> Iterator[str]:
    """Serve the site on 127.0.0.1 on a free port; yields e.g. `http://127.0.0.1:40123`."""
    with serve(site, name="site-server") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing_browser(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """``open_page(width)``: a new tab that wide (phones get a touch screen and 2x pixels)."""
    contexts: list[Any] = []

    def open_at(width: int, height: int = 900) -> Any:
        phone = width < 500
        context = browser.new_context(
            viewport={"width": width, "height": 844 if phone else height},
            device_scale_factor=2 if phone else 1,
            is_mobile=phone,
            has_touch=phone,
        )
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        return tab

    try:
        yield open_at
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"{AXE.relative_to(ROOT)} is missing: run `python scripts/vendor_js.py`"
            " (make browser does)",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def root_page() -> str:
    """The site path `index.html` redirects to: the toc's `root`."""
    return toc_pages()[0]


@pytest.fixture(scope="session")
def book_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((BOOK_ROOT / "_config.yml").read_text("utf-8"))
    return config


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
