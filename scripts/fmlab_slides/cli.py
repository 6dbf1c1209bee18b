"""``python scripts/slides.py build|pdf``: the decks, and the decks as PDF.

Exit codes as everywhere in fmlab: 0 built, 2 bad input (bad slide metadata, a notebook
changed since the book was built, a missing link to a deck), 4 an internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import links
from .deck import Deck, lent_cells, lightning_deck
from .markdown import load_bibliography
from .metadata import METADATA_KEY, SlideError
from .render import BuiltDeck, DeckWriter, write_all
from .sources import Page, chapters, is_notebook, read_page, toc_docnames
from .workshop import workshop_deck

SLIDES = Path("_build") / "html" / "slides"
PDFS = Path("_build") / "slides-pdf"


def collect_decks(root: Path, executed: Path | None = None) -> tuple[list[Deck], dict[str, Page]]:
    """Every chapter's decks (lightning talk, then workshop), and the pages read for them.

    A chapter's notebooks are all read (its workshop deck is every cell of them); another
    page only when its cells carry slide metadata (the benchmark figures).
    """
    found = chapters(root)
    in_chapters = {name for chapter in found for name in chapter.notebooks}
    pages: dict[str, Page] = {}
    for docname in toc_docnames(root):
        path = root / f"{docname}.md"
        if not (path.exists() and is_notebook(path)):
            continue
        if docname in in_chapters or METADATA_KEY in path.read_text("utf-8"):
            pages[docname] = read_page(root, docname, executed=executed)
    decks: list[Deck] = []
    names = {chapter.name for chapter in found}
    for page in pages.values():
        for cell in page.cells:
            spec = cell.spec
            if spec is not None and spec.deck is not None and spec.deck not in names:
                known = ", ".join(sorted(names))
                raise SlideError(f"{cell.where}: slides.deck: no chapter {spec.deck!r} ({known})")
    for chapter in found:
        own = [pages[name] for name in chapter.notebooks if name in pages]
        others = [page for name, page in pages.items() if name not in chapter.notebooks]
        deck = lightning_deck(chapter, own, lent_cells(others, chapter.name))
        if deck is not None:
            decks.append(deck)
        workshop = workshop_deck(root, chapter, own)
        if workshop is not None:
            decks.append(workshop)
    return decks, pages


def build(root: Path, out: Path, executed: Path | None = None) -> list[BuiltDeck]:
    decks, pages = collect_decks(root, executed)
    writer = DeckWriter(root, out, pages, load_bibliography(root / "book" / "references.bib"))
    built = write_all(writer, decks)
    links.check(root, [b.deck for b in built])
    links.write_manifest(out, built)
    links.write_index(out)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="slides.py", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["build", "pdf"])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    arguments = parser.parse_args(argv)
    root: Path = arguments.root
    try:
        started = time.perf_counter()
        if arguments.command == "build":
            built = build(root, root / SLIDES)
            for deck in built:
                where = deck.path.relative_to(root)
                print(f"slides: {where}: {deck.slide_count} slides")
            print(f"slides: {len(built)} decks in {time.perf_counter() - started:.1f} s")
        else:
            from .pdf import print_decks

            for pdf, pages in print_decks(root / SLIDES, root / PDFS):
                print(f"slides-pdf: {pdf.relative_to(root)}: {pages} pages")
            print(f"slides-pdf: done in {time.perf_counter() - started:.1f} s")
    except SlideError as error:
        print(f"slides: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # the one line promised by the exit-code convention
        if os.environ.get("FMLAB_DEBUG"):
            raise
        message = f"slides: internal error: {error!r} (FMLAB_DEBUG=1 for the traceback)"
        print(message, file=sys.stderr)
        return 4
    return 0
