"""axe-core on every page of the built site, at 1280 px and 390 px: no critical or serious
violation.

axe-core is fetched by scripts/vendor_js.py into tests/browser/_vendor/ and injected here;
the site never ships it. What upstream alone could fix is listed in UPSTREAM_ONLY with the
reason, and still counted in the report (none today).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import AXE, DESKTOP, PHONE, ROOT, toc_pages
from tests.browser.visits import register, visit

pytestmark = pytest.mark.browser

PAGES = [page for page in toc_pages() if page != "index.html"]
FAILING_IMPACTS = ("critical", "serious")
# rule id -> why only upstream can fix it. Each entry is skipped from the verdict only.
UPSTREAM_ONLY: dict[str, str] = {}

RUN_AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')
                                 .split('\\n').slice(1, 2).join('').trim()).slice(0, 5),
    count: v.nodes.length,
  }));
}
"""


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """Inject axe-core into the page and return its violations."""
    page.add_script_tag(content=axe_source)
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE_JS)
    return found


def _axe_on_the_page_as_served(page: Any) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.fail(
            f"{AXE.relative_to(ROOT)} is missing: run `python scripts/vendor_js.py`"
            " (make browser does)",
            pytrace=False,
        )
    return axe_violations(page, AXE.read_text(encoding="utf-8"))


# Before anything rearranges the page: axe judges what a reader is served.
register("axe", _axe_on_the_page_as_served, order=0)


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("article_path", PAGES)
def test_no_serious_accessibility_violation(
    open_page: Any, origin: str, article_path: str, width: int
) -> None:
    violations = visit(open_page, origin, article_path, width)["axe"]
    serious = [
        v for v in violations if v["impact"] in FAILING_IMPACTS and v["id"] not in UPSTREAM_ONLY
    ]
    assert not serious, f"{article_path} at {width} px:\n" + "\n".join(
        f"  {v['impact']} {v['id']} ({v['count']} nodes): {v['help']}\n    "
        + "\n    ".join(v["nodes"])
        for v in serious
    )


def test_axe_finds_a_planted_violation(open_page: Any, origin: str, axe_source: str) -> None:
    """The check can fail: an unnamed icon button planted on a page is reported."""
    page = open_page(DESKTOP)
    page.goto(f"{origin}/book/how-to-use.html", wait_until="load")
    page.evaluate(
        "() => document.querySelector('article').insertAdjacentHTML('beforeend',"
        " '<button id=planted><i class=\"fa-solid fa-bars\"></i></button>')"
    )
    ids = {v["id"] for v in axe_violations(page, axe_source)}
    assert "button-name" in ids


def test_build_status_is_said_in_words(page: Any, origin: str) -> None:
    page.goto(f"{origin}/book/status.html", wait_until="load")
    cells = page.locator("article table tbody tr td:last-child")
    assert cells.count() > 0, "the status page has no execution table"
    texts = [cells.nth(i).inner_text().strip() for i in range(cells.count())]
    assert all(text.endswith(("passed", "failed")) for text in texts), texts
