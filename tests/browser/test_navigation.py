"""Finding one's way on a phone, a tablet and a laptop: the menu, the page's contents, search.

Below 992 px the theme hides the sidebar behind a "Site navigation" button in the article
header; under pydata-sphinx-theme 0.17 with sphinx-book-theme that button did nothing
(pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988; fixed by
book/_ext/static/fmlab-site.js). These tests press the buttons a reader presses.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import DESKTOP, PHONE, TABLET

pytestmark = pytest.mark.browser

START = "book/how-to-use.html"
# A chapter page the menu must lead to, by the link text the reader sees.
TARGET_TEXT = "Model finding with z3"
TARGET_PATH = "/book/model-finding.html"


def _visible_toggle(page: Any, kind: str) -> Any:
    toggles = page.locator(f".{kind}-toggle:visible")
    assert toggles.count() == 1, f"expected one visible .{kind}-toggle, found {toggles.count()}"
    return toggles.first


@pytest.mark.parametrize("width", [PHONE, TABLET], ids=["phone", "tablet"])
def test_menu_opens_and_leads_to_a_chapter(
    open_page: Any, origin: str, width: int, screenshots: Any
) -> None:
    page = open_page(width)
    page.goto(f"{origin}/{START}", wait_until="load")
    page.wait_for_load_state("networkidle")
    assert not page.locator("#pst-primary-sidebar").is_visible() or width >= 992
    _visible_toggle(page, "primary").click()
    menu = page.locator("#pst-primary-sidebar-modal")
    menu.wait_for(state="visible")
    assert menu.evaluate("dialog => dialog.open"), "the navigation dialog did not open"
    page.screenshot(path=str(screenshots / f"menu-{width}.png"))
    link = menu.get_by_role("link", name=TARGET_TEXT, exact=True)
    link.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == TARGET_PATH


@pytest.mark.parametrize("width", [PHONE, TABLET], ids=["phone", "tablet"])
def test_contents_of_the_page_open_from_the_header(open_page: Any, origin: str, width: int) -> None:
    page = open_page(width)
    page.goto(f"{origin}/{START}", wait_until="load")
    page.wait_for_load_state("networkidle")
    _visible_toggle(page, "secondary").click()
    contents = page.locator("#pst-secondary-sidebar-modal")
    contents.wait_for(state="visible")
    entry = contents.get_by_role("link", name="Running locally", exact=True)
    entry.click()
    page.wait_for_function("() => location.hash === '#running-locally'")


def test_desktop_toggle_hides_and_shows_the_sidebar(open_page: Any, origin: str) -> None:
    page = open_page(DESKTOP)
    page.goto(f"{origin}/{START}", wait_until="load")
    page.wait_for_load_state("networkidle")
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    toggle = _visible_toggle(page, "primary")
    toggle.click()
    page.wait_for_function(
        "() => document.getElementById('pst-primary-sidebar')"
        ".classList.contains('pst-sidebar-hidden')"
    )
    toggle.click()
    page.wait_for_function(
        "() => !document.getElementById('pst-primary-sidebar')"
        ".classList.contains('pst-sidebar-hidden')"
    )


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_search_from_the_header(open_page: Any, origin: str, width: int) -> None:
    page = open_page(width)
    page.goto(f"{origin}/{START}", wait_until="load")
    page.wait_for_load_state("networkidle")
    page.locator(".search-button__button:visible").first.click()
    field = page.locator("#pst-search-dialog input[name='q']")
    field.wait_for(state="visible")
    field.fill("counterexample")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=counterexample*")
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results ul.search li').length > 0",
        timeout=20_000,
    )
