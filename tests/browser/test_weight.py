"""What each page costs a reader to download, as served: at most 1.5 MB for a plain page,
5 MB for a page with widgets (their 3.6 MB manager is the bulk).

The weight is every byte the page fetches from the site until the network is idle (HTML,
CSS, JavaScript, fonts, pictures; widgets and maths rendered). Each page's weight is also
written to ``_build/reports/page-weights.json`` for the status report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import BOOK_ROOT, DESKTOP, toc_pages
from tests.browser.visits import visit

pytestmark = pytest.mark.browser

PLAIN_LIMIT = 1_500_000
WIDGET_LIMIT = 5_000_000
PAGES = [page for page in toc_pages() if page != "index.html"]
REPORT = BOOK_ROOT / "_build" / "reports" / "page-weights.json"


@pytest.fixture(scope="module")
def weights() -> Iterator[dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, Any]] = {}
    yield found
    if found:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")


@pytest.mark.parametrize("article_path", PAGES)
def test_page_weight(
    open_page: Any, origin: str, article_path: str, weights: dict[str, dict[str, Any]]
) -> None:
    seen = visit(open_page, origin, article_path, DESKTOP)
    total, sizes, widgets = sum(seen.fetched.values()), seen.fetched, seen.widgets
    limit = WIDGET_LIMIT if widgets else PLAIN_LIMIT
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    weights[article_path] = {"bytes": total, "widgets": widgets, "requests": len(sizes)}
    assert total <= limit, (
        f"{article_path} weighs {total / 1e6:.2f} MB, over the {limit / 1e6:.1f} MB limit for "
        f"{'widget' if widgets else 'plain'} pages; heaviest: "
        + ", ".join(f"{Path(url.split('?')[0]).name} {size / 1e6:.2f} MB" for url, size in heaviest)
    )
