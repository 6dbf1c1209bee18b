"""What each page costs a reader to download, as served: at most 1.5 MB for a plain page,
5 MB for a page with widgets (their 3.6 MB manager is the bulk).

The weight is every byte the page fetches from the site until the network is idle (HTML,
CSS, JavaScript, fonts, pictures; widgets and maths rendered). Each page's weight is also
written to ``_build/reports/page-weights.json`` for the status report.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import BOOK_ROOT, toc_pages

pytestmark = pytest.mark.browser

PLAIN_LIMIT = 1_500_000
WIDGET_LIMIT = 5_000_000
PAGES = [page for page in toc_pages() if page != "index.html"]
REPORT = BOOK_ROOT / "_build" / "reports" / "page-weights.json"
WIDGET_STATE = 'script[type="application/vnd.jupyter.widget-state+json"]'


@pytest.fixture(scope="module")
def weights() -> Iterator[dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, Any]] = {}
    yield found
    if found:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")


def measure(page: Any, origin: str, path: str) -> tuple[int, dict[str, int]]:
    """Bytes the page fetched from ``origin``, total and by URL path."""
    sizes: dict[str, int] = {}

    def on_response(response: Any) -> None:
        if response.url.startswith(origin) and response.status == 200:
            # A response whose body is gone (a redirect, an abort) weighs nothing here.
            with contextlib.suppress(Exception):
                sizes[response.url.removeprefix(origin)] = len(response.body())

    page.on("response", on_response)
    page.goto(f"{origin}/{path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    if page.locator(WIDGET_STATE).count():
        page.wait_for_selector(".jupyter-widgets", timeout=20_000)
    if page.locator(".math").count():
        page.wait_for_selector("mjx-container", timeout=20_000)
    page.wait_for_load_state("networkidle")
    return sum(sizes.values()), sizes


@pytest.mark.parametrize("article_path", PAGES)
def test_page_weight(
    page: Any, origin: str, article_path: str, weights: dict[str, dict[str, Any]]
) -> None:
    total, sizes = measure(page, origin, article_path)
    widgets = page.locator(WIDGET_STATE).count() > 0
    limit = WIDGET_LIMIT if widgets else PLAIN_LIMIT
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    weights[article_path] = {"bytes": total, "widgets": widgets, "requests": len(sizes)}
    assert total <= limit, (
        f"{article_path} weighs {total / 1e6:.2f} MB, over the {limit / 1e6:.1f} MB limit for "
        f"{'widget' if widgets else 'plain'} pages; heaviest: "
        + ", ".join(f"{Path(url.split('?')[0]).name} {size / 1e6:.2f} MB" for url, size in heaviest)
    )
