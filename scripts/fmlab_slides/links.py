"""Every deck is reachable: linked from its chapter's overview and from the slides page.

The links are written by hand (one line each), so the build checks both directions: a deck
nobody links to, or a link to a deck that was not built, stops the build with the line to
add or remove. ``decks.json`` lists what was built, for the browser test and the PDF step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from .deck import Deck
from .metadata import SlideError
from .render import BuiltDeck

SLIDES_PAGE = Path("book") / "slides.md"
MANIFEST = "decks.json"
_DECK_LINK = re.compile(r"\.\./slides/([\w-]+/[\w-]+)\.html")


def deck_link(deck: Deck) -> str:
    """The link to a deck from a page in book/ (the overviews and the slides page)."""
    return f"../slides/{deck.filename}"


def check(root: Path, decks: Sequence[Deck]) -> None:
    built = {deck.filename.removesuffix(".html") for deck in decks}
    problems: list[str] = []
    slides_page = root / SLIDES_PAGE
    pages = {SLIDES_PAGE: slides_page.read_text("utf-8") if slides_page.exists() else ""}
    for deck in decks:
        overview = Path(f"{deck.chapter.overview}.md")
        pages.setdefault(overview, (root / overview).read_text("utf-8"))
        for page in (SLIDES_PAGE, overview):
            if deck_link(deck) not in pages[page]:
                problems.append(
                    f"{page}: no link to the deck {deck.filename} "
                    f'(add <a href="{deck_link(deck)}">...</a>)'
                )
    for page, text in pages.items():
        for number, line in enumerate(text.splitlines(), start=1):
            for target in _DECK_LINK.findall(line):
                if target not in built:
                    problems.append(
                        f"{page}:{number}: links to ../slides/{target}.html, "
                        "which no cell's metadata builds"
                    )
    if problems:
        raise SlideError("\n".join(problems))


def write_manifest(out: Path, built: Sequence[BuiltDeck]) -> None:
    entries = [
        {
            "deck": b.deck.filename.removesuffix(".html"),
            "path": b.deck.filename,
            "chapter": b.deck.chapter.name,
            "kind": b.deck.kind.value,
            "slides": b.slide_count,
        }
        for b in built
    ]
    (out / MANIFEST).write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")


def write_index(out: Path) -> None:
    """``slides/index.html``: the slides page of the book, which links every deck."""
    target = "../book/slides.html"
    (out / "index.html").write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}">'
        '<link rel="icon" href="_assets/favicon.svg" type="image/svg+xml">'
        "<title>Slides (fmlab)</title></head>"
        f'<body><p><a href="{target}">The slide decks</a></p></body></html>\n',
        encoding="utf-8",
    )


def read_manifest(out: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads((out / MANIFEST).read_text("utf-8"))
    return entries
