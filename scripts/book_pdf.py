"""The whole book as one PDF, printed by the same Chromium the browser tests use.

Each page of the built site (``_build/html``, in ``_toc.yml`` order) is opened in Chromium
(Playwright with ``executable_path=/usr/bin/chromium``; never ``playwright install``),
waits for its widgets and maths, and is printed with the site's print CSS (code and
outputs wrap, scroll boxes open up, every gallery tab is shown); the pages are joined
into one PDF with pypdf, with one bookmark per page.

Before printing, each page is checked in print layout: a code block, output, table or
drawing box still wider than the paper would be cut off, and fails the run.

    python scripts/book_pdf.py                       # the whole book -> _build/pdf/fmlab.pdf
    python scripts/book_pdf.py --out x.pdf book/intro.html notebooks/time/01-testing-time.html
    python scripts/book_pdf.py --expect "refuted: NoContradiction"

Run by ``make pdf``. Exit codes: 0 written, 1 a check failed (cut-off text, missing
expected text), 2 bad usage (no built site, unknown page).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from local_site import serve  # scripts/ is on the path: this file runs from it

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
PAPER = {
    "format": "A4",
    "margin": {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
}
# A4 minus the side margins, in CSS pixels (96 per inch): what print layout wraps to.
PRINT_WIDTH_PX = round((210 - 28) / 25.4 * 96)
_SOURCE_SUFFIXES = (".md", ".ipynb", ".rst")

# In print layout: blocks whose content is wider than they are (it would be cut off on
# paper, where nothing scrolls). Returns a description of each.
CUT_IN_PRINT_JS = """
() => {
  const article = document.querySelector('article.bd-article');
  if (!article) return ['no article'];
  const limit = article.getBoundingClientRect().right + 1;
  const out = [];
  const boxes = article.querySelectorAll(
    'pre, table, .fmlab-scroll, .fmlab-drawing, .widget-html-content, img, svg, ' +
    'mjx-container[display="true"]');
  for (const box of boxes) {
    if (box.parentElement && box.parentElement.closest('svg')) continue;
    const bounds = box.getBoundingClientRect();
    if (bounds.width === 0) continue;
    // Inline boxes (a formula in a sentence) have no clientWidth; only the edge counts.
    const block = box.clientWidth > 0 && box.tagName.toLowerCase() !== 'svg';
    const tooWide = block && box.scrollWidth > box.clientWidth + 1;
    if (tooWide || bounds.right > limit) {
      out.push(box.tagName.toLowerCase() + ' ' + Math.round(Math.max(box.scrollWidth,
               bounds.width)) + ' px: '
               + (box.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 60));
    }
  }
  return out;
}
"""


@dataclass(frozen=True)
class PrintedPage:
    path: str
    title: str
    pdf: bytes
    cut_off: tuple[str, ...]


def _toc_files(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("root", "file") and isinstance(value, str):
                yield value
            else:
                yield from _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_files(item)


def book_pages(book_root: Path) -> list[str]:
    """Site paths of the pages in ``_toc.yml``, in reading order."""
    toc = yaml.safe_load((book_root / "_toc.yml").read_text(encoding="utf-8"))
    pages: list[str] = []
    for entry in _toc_files(toc):
        stem = entry
        for suffix in _SOURCE_SUFFIXES:
            stem = stem.removesuffix(suffix)
        if f"{stem}.html" not in pages:
            pages.append(f"{stem}.html")
    return pages


def _wait_for_rendering(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    if page.locator('script[type="application/vnd.jupyter.widget-state+json"]').count():
        page.wait_for_selector(".jupyter-widgets", timeout=30_000)
    if page.locator(".math").count():
        page.wait_for_selector("mjx-container", timeout=30_000)
    page.wait_for_timeout(300)


def print_pages(site: Path, pages: Sequence[str]) -> list[PrintedPage]:
    """Print each page to PDF bytes in Chromium, checking print layout first."""
    from playwright.sync_api import sync_playwright

    printed: list[PrintedPage] = []
    with serve(site, name="pdf-site") as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
        for path in pages:
            page = context.new_page()
            page.goto(f"{origin}/{path}", wait_until="load")
            _wait_for_rendering(page)
            page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
            page.emulate_media(media="print")
            cut_off = tuple(page.evaluate(CUT_IN_PRINT_JS))
            title = page.locator("article h1").first.inner_text().replace("#", "").strip()
            pdf = page.pdf(print_background=True, **PAPER)  # type: ignore[arg-type]
            printed.append(PrintedPage(path, title, pdf, cut_off))
            page.close()
        browser.close()
    return printed


def join(printed: Sequence[PrintedPage], out: Path) -> int:
    """Write one PDF with a bookmark per page; returns its page count."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for item in printed:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(item.pdf)))
        writer.add_outline_item(title=item.title or item.path, page_number=start)
    writer.add_metadata({"/Title": "fmlab: formal methods you can run"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def pdf_text(path: Path) -> str:
    """All the text of a PDF, as pypdf extracts it."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def without_spaces(text: str) -> str:
    """Text with every blank removed: wrapping moves line breaks, never the characters.

    >>> without_spaces("a b\\n c")
    'abc'
    """
    return re.sub(r"\s+", "", text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="site paths to print (default: the whole toc)")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "fmlab.pdf")
    parser.add_argument(
        "--expect", action="append", default=[], help="text that must appear in the PDF"
    )
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"book_pdf: no built site at {args.site}: run make book first", file=sys.stderr)
        return 2
    pages = args.pages or book_pages(ROOT)
    missing = [page for page in pages if not (args.site / page).is_file()]
    if missing:
        print(f"book_pdf: not in the built site: {', '.join(missing)}", file=sys.stderr)
        return 2
    printed = print_pages(args.site, pages)
    count = join(printed, args.out)
    print(f"book_pdf: {len(printed)} site pages -> {count} PDF pages in {args.out}")
    problems = [f"{item.path}: cut off in print: {cut}" for item in printed for cut in item.cut_off]
    text = without_spaces(pdf_text(args.out))
    problems += [
        f"expected text not in the PDF: {want!r}"
        for want in args.expect
        if without_spaces(want) not in text
    ]
    for problem in problems:
        print(f"book_pdf: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
