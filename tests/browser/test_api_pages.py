"""The API reference documents every public name, and exercise numbers restart per chapter.

Both read the built site (`make book`). The API pages (book/api/, autodoc through
book/_ext/fmlab_api.py) must hold an entry, an element whose ``id`` is the dotted name,
for every name in every package's ``__all__``: autodoc skips some kinds of names without a
word (data a face imports from a private module, say), so the page is checked, not the
directive. A page is also opened in Chromium at 1280 and 390 px: nothing, signatures
included, may make the page scroll sideways.

Exercise numbers come from sphinx-exercise and book/_ext/fmlab_exercises.py: in each
chapter of ``_toc.yml`` (its overview page and its notebooks), the exercises are numbered
1, 2, ... in reading order, and the chapter template's demo counts only on its own page.
"""

from __future__ import annotations

import html
import importlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser.conftest import BOOK_ROOT, DESKTOP, PHONE

pytestmark = pytest.mark.browser

# Package -> its page; a public subpackage is documented on its parent's page.
API_PAGES = {
    "fmlab.core": "book/api/core.html",
    "fmlab.viz": "book/api/viz.html",
    "fmlab.relational": "book/api/relational.html",
    "fmlab.iam": "book/api/iam.html",
    "fmlab.iam.facts": "book/api/iam-facts.html",
    "fmlab.k8s": "book/api/k8s.html",
    "fmlab.k8s.filters": "book/api/k8s-filters.html",
    "fmlab.refine": "book/api/refine.html",
    "fmlab.timetravel": "book/api/timetravel.html",
    "fmlab.mc": "book/api/mc.html",
    "fmlab.mvu": "book/api/mvu.html",
}


class _Collector(HTMLParser):
    """Element ids, and the exercise titles' numbers in the order they appear."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.exercise_numbers: list[str] = []
        self._in_exercise_title = 0
        self._divs: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        classes = str(attributes.get("class") or "").split()
        if tag == "div":
            # sphinx-exercise: <div class="exercise admonition" id="..."> (solutions are
            # class "solution"); its title's number is in <span class="caption-number">.
            self._divs.append("exercise" in classes)
        if tag == "span" and "caption-number" in classes and any(self._divs):
            self._in_exercise_title += 1
            self.exercise_numbers.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._divs:
            self._divs.pop()
        if tag == "span" and self._in_exercise_title:
            self._in_exercise_title -= 1

    def handle_data(self, data: str) -> None:
        if self._in_exercise_title:
            self.exercise_numbers[-1] += data


def _read(site: Path, page: str) -> _Collector:
    collector = _Collector()
    collector.feed((site / page).read_text(encoding="utf-8"))
    return collector


def test_every_package_has_a_page_in_the_table_of_contents() -> None:
    toc = yaml.safe_load((BOOK_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    (part,) = [part for part in toc["parts"] if part.get("caption") == "API reference"]
    listed = {f"{chapter['file']}.html" for chapter in part["chapters"]}
    packages = {
        f"fmlab.{path.name}"
        for path in (BOOK_ROOT / "src" / "fmlab").iterdir()
        if (path / "__init__.py").is_file() and path.name != "cli"
    }
    assert packages <= set(API_PAGES), "a package without an API page"
    assert set(API_PAGES.values()) <= listed
    assert "book/api/cli.html" in listed


@pytest.mark.parametrize("package", sorted(API_PAGES))
def test_every_public_name_has_an_entry_on_its_page(site: Path, package: str) -> None:
    public = importlib.import_module(package).__all__
    ids = _read(site, API_PAGES[package]).ids
    missing = [name for name in public if f"{package}.{name}" not in ids]
    assert missing == [], f"{API_PAGES[package]} has no entry for these names of {package}"


_SIGNATURE = re.compile(r'<dt class="sig[^"]*"[^>]*id="([^"]+)"[^>]*>(.*?)</dt>', re.S)


@pytest.mark.parametrize("page", sorted(set(API_PAGES.values())))
def test_signatures_show_hints_as_types_not_quoted_strings(site: Path, page: str) -> None:
    # A hint autodoc could not evaluate is printed as the string it is ("at: 'float'",
    # "create: 'Pod | None'"): quoted, and never a link. book/_ext/fmlab_api.py evaluates
    # hints in their module's namespace, TYPE_CHECKING imports included.
    markup = (site / page).read_text(encoding="utf-8")
    signatures = {
        entry: html.unescape(re.sub(r"<[^>]+>", "", body))
        for entry, body in _SIGNATURE.findall(markup)
    }
    assert len(signatures) > 5, "the pattern no longer finds the page's signatures"
    quoted = sorted(entry for entry, text in signatures.items() if re.search(r"(:|→)\s*'", text))
    assert quoted == []


def test_the_command_page_shows_every_subcommand(site: Path) -> None:
    markup = (site / "book/api/cli.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))  # Pygments splits words in spans
    for words in ("fmlab iam compare", "fmlab k8s preempt", "fmlab mc check", "fmlab mvu render"):
        assert f"$ .venv/bin/{words} --help" in text


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("api_page", ["book/api/core.html", "book/api/k8s.html"])
def test_api_page_does_not_scroll_sideways(
    open_page: Any, origin: str, api_page: str, width: int, screenshots: Path
) -> None:
    page = open_page(width)
    page.goto(f"{origin}/{api_page}")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    signatures = page.evaluate(
        """() => [...document.querySelectorAll('article dt.sig')]
              .filter(dt => dt.scrollWidth > dt.clientWidth + 1)
              .map(dt => dt.id)"""
    )
    page.screenshot(path=str(screenshots / f"api-{Path(api_page).stem}-{width}.png"))
    assert overflow <= 0
    assert signatures == [], "signatures wider than their box"


def _chapters() -> dict[str, list[str]]:
    """Each chapter of the table of contents: its page and its sections' pages, in order."""
    toc = yaml.safe_load((BOOK_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters: dict[str, list[str]] = {}
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            pages = [chapter["file"], *(section["file"] for section in chapter.get("sections", []))]
            chapters[chapter["file"]] = [f"{page}.html" for page in pages]
    return chapters


def test_exercise_numbers_restart_with_each_chapter(site: Path) -> None:
    numbered: dict[str, list[str]] = {}
    for chapter, pages in _chapters().items():
        numbers = [number for page in pages for number in _read(site, page).exercise_numbers]
        if numbers:
            numbered[chapter] = [re.sub(r"\s+", " ", number).strip() for number in numbers]
    for chapter, numbers in numbered.items():
        expected = [f"Exercise {count}" for count in range(1, len(numbers) + 1)]
        assert numbers == expected, chapter
    # The test means something: most chapters have exercises, the template its one demo.
    assert numbered["book/chapter-template"] == ["Exercise 1"]
    assert len(numbered) >= 5
    assert numbered["book/time"][0] == "Exercise 1"
