"""`make pdf` on a two-page subset: one PDF, a page count that adds up, the witness whole.

scripts/book_pdf.py prints the whole book under `make pdf`; here it prints the root page
and the model-finding notebook, whose counterexample is the longest output line of the
book (3,715 px on one line before the print CSS wrapped it). The witness must be in the
PDF's text in full: a line cut at the paper's edge would lose its tail.
"""

from __future__ import annotations

import html
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

SUBSET = ["book/intro.html", "notebooks/model-finding/01-model-finding-with-z3.html"]
WITNESS_START = "refuted: NoContradiction"


def _book_pdf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("book_pdf", ROOT / "scripts" / "book_pdf.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def _print(*args: str) -> subprocess.CompletedProcess[str]:
    # In its own process: this session's browser fixture already runs Playwright here.
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "book_pdf.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _witness_from_the_page(site: Path) -> str:
    page = (site / SUBSET[1]).read_text(encoding="utf-8")
    for block in re.findall(r"<pre[^>]*>(.*?)</pre>", page, flags=re.DOTALL):
        text = html.unescape(re.sub(r"<[^>]+>", "", block))
        if text.startswith(WITNESS_START):
            return text
    raise AssertionError(f"no output starting {WITNESS_START!r} on {SUBSET[1]}")


def test_two_pages_print_to_one_pdf_with_the_witness_whole(site: Path, tmp_path: Path) -> None:
    book_pdf = _book_pdf()
    out = tmp_path / "subset.pdf"
    done = _print("--site", str(site), "--out", str(out), *SUBSET)
    assert done.returncode == 0, done.stdout + done.stderr

    reader = PdfReader(str(out))
    bookmarks = reader.outline
    assert len(bookmarks) == len(SUBSET)
    # Each site page starts a new sheet, and a notebook this long takes several.
    second = bookmarks[1]
    assert isinstance(second, Destination)
    first_of_second = reader.get_destination_page_number(second)
    assert first_of_second is not None
    assert 1 <= first_of_second < len(reader.pages) - 1
    assert len(reader.pages) >= len(SUBSET) + 3

    witness = _witness_from_the_page(site)
    assert len(witness) > 300, "the witness is expected to be a long line"
    text = book_pdf.without_spaces(book_pdf.pdf_text(out))
    assert book_pdf.without_spaces(witness) in text


def test_the_witness_check_can_fail(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "intro.pdf"
    # The root page does not contain the notebook's witness.
    done = _print("--site", str(site), "--out", str(out), "--expect", WITNESS_START, SUBSET[0])
    assert done.returncode == 1, done.stdout + done.stderr
    assert "expected text not in the PDF" in done.stderr
