"""Each notebook page can be run, not only read: it offers its .ipynb and says how.

The .ipynb is generated at build time from the MyST source (book/_ext/fmlab_runnable.py);
it must be a valid notebook with exactly the source's code cells, reachable from the
page's download menu, and the page must say in one line how to run it locally.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest

from tests.browser.conftest import BOOK_ROOT, toc_pages

pytestmark = pytest.mark.browser

NOTEBOOK_PAGES = [
    page
    for page in toc_pages()
    if page.startswith("notebooks/") and (BOOK_ROOT / page).with_suffix(".md").is_file()
]


def _code_cells(notebook: Any) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("notebook_page", NOTEBOOK_PAGES)
def test_notebook_page_offers_its_ipynb_and_how_to_run_it(
    page: Any, origin: str, site: Path, notebook_page: str
) -> None:
    page.goto(f"{origin}/{notebook_page}", wait_until="load")
    line = page.locator("article .fmlab-run-locally")
    assert line.count() == 1, "no 'Run it yourself' line under the title"
    text = line.inner_text()
    source = Path(notebook_page).with_suffix(".md").as_posix()
    assert "make lab" in text
    assert source in text

    page.locator(".dropdown-download-buttons > button").click()
    entry = page.locator(".dropdown-download-buttons a", has_text=".ipynb")
    entry.wait_for(state="visible")
    href = entry.get_attribute("href")
    assert href is not None
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
    assert response.status == 200, f"{href}: HTTP {response.status}"

    served = nbformat.reads(response.text(), as_version=4)
    nbformat.validate(served)
    original = jupytext.read(BOOK_ROOT / source)
    assert _code_cells(served) == _code_cells(original)
    assert all(not cell.get("outputs") for cell in served.cells if cell.cell_type == "code")


def test_prose_pages_offer_no_notebook(page: Any, origin: str) -> None:
    page.goto(f"{origin}/book/how-to-use.html", wait_until="load")
    assert page.locator("article .fmlab-run-locally").count() == 0
    assert page.locator(".dropdown-download-buttons a", has_text=".ipynb").count() == 0


def test_no_launch_button_while_the_repository_url_is_empty(
    page: Any, origin: str, book_config: dict[str, Any]
) -> None:
    if (book_config.get("repository") or {}).get("url"):
        pytest.skip("this checkout names a repository: the launch buttons are meant to be on")
    page.goto(f"{origin}/{NOTEBOOK_PAGES[0]}", wait_until="load")
    assert page.locator(".dropdown-launch-buttons").count() == 0
