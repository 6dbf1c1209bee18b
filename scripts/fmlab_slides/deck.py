"""Which cells make which slides: a chapter's lightning-talk deck, from its cells' metadata.

A deck is the chapter's slide cells in book order (its notebooks as `_toc.yml` lists them),
then the cells other pages lend it (``deck: <chapter>``, the benchmark figures), then a
closing slide that sends the audience to the chapter. A title slide names the talk the
chapter started from: the first of the author's talks the chapter's notebooks cite.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .metadata import LineRanges, Placement, Show, SlideError
from .outputs import Tile
from .sources import Cell, Chapter, Page

SPEAKER_CITATION_PREFIX = "ccvanishing"


class DeckKind(enum.Enum):
    LIGHTNING = "lt"
    WORKSHOP = "workshop"


@dataclass(frozen=True)
class Part:
    """One cell's share of a slide: the whole cell, or a piece of it (a workshop deck
    paginates long cells: some markdown blocks, some code lines, some outputs)."""

    cell: Cell
    show: Show
    fragment: bool
    text: str | None = None  # markdown: the blocks shown, when not the whole cell
    lines: LineRanges | None = None  # code: the lines shown
    outputs: tuple[int, ...] | None = None  # code: which of its (merged) outputs
    output_lines: LineRanges | None = None  # ... and which of their lines
    item: int | None = None  # one figure of a gallery output
    tile: Tile | None = None  # one window of a drawing too large for a slide


@dataclass(frozen=True)
class Note:
    """Markdown for a slide's speaker notes: a whole cell or a piece (a solution)."""

    cell: Cell
    text: str


@dataclass(frozen=True)
class Slide:
    title: str  # markdown (inline)
    title_from: Cell
    parts: tuple[Part, ...]
    notes: tuple[Note, ...]
    style: str = ""  # extra CSS class: "fmlab-notebook-slide", "fmlab-exercise-slide"

    @property
    def where(self) -> str:
        return self.title_from.where


@dataclass(frozen=True)
class Deck:
    chapter: Chapter
    kind: DeckKind
    slides: tuple[Slide, ...]
    talk: str | None  # bibliography key of the source talk
    pages: tuple[str, ...]  # docnames the slides come from

    @property
    def filename(self) -> str:
        return f"{self.chapter.name}/{self.kind.value}.html"


@dataclass
class _Draft:
    title: str | None
    first: Cell
    parts: list[Part] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def lightning_deck(
    chapter: Chapter, own_pages: Sequence[Page], lent: Iterable[Cell]
) -> Deck | None:
    """The chapter's LT deck, or None when no cell of it is marked for one."""
    slides: list[Slide] = []
    pages: list[str] = []
    for cells in [*(page.cells for page in own_pages), tuple(lent)]:
        built = _slides(c for c in cells if c.spec is not None and c.spec.placement is not None)
        slides.extend(built)
        pages.extend(p for p in dict.fromkeys(s.title_from.page for s in built) if p not in pages)
    if not slides:
        return None
    return Deck(
        chapter=chapter,
        kind=DeckKind.LIGHTNING,
        slides=tuple(slides),
        talk=_source_talk(own_pages),
        pages=tuple(pages),
    )


def lent_cells(pages: Iterable[Page], chapter: str) -> list[Cell]:
    """Cells of pages outside the chapter that name it as their deck."""
    return [
        cell
        for page in pages
        for cell in page.cells
        if cell.spec is not None and cell.spec.placement is not None and cell.spec.deck == chapter
    ]


def _slides(cells: Iterable[Cell]) -> list[Slide]:
    drafts: list[_Draft] = []
    for cell in cells:
        spec = cell.spec
        assert spec is not None
        assert spec.placement is not None
        if "remove-cell" in cell.tags:
            raise SlideError(
                f"{cell.where}: a remove-cell cell is hidden in the book; it cannot be on a slide"
            )
        if spec.placement is Placement.SLIDE or not drafts:
            if spec.placement is not Placement.SLIDE:
                raise SlideError(
                    f"{cell.where}: slides.lt: {spec.placement.value} before any "
                    "slide of this page started (use lt: slide)"
                )
            drafts.append(_Draft(title=spec.title, first=cell))
        draft = drafts[-1]
        if spec.show is Show.NOTES:
            draft.notes.append(Note(cell, cell.source))
            if draft.title is None and not draft.parts:
                draft.title = _own_heading(cell)
            continue
        if cell.kind == "markdown" and draft.title is None and not draft.parts:
            draft.title = _own_heading(cell)
        fragment = spec.placement is Placement.FRAGMENT
        part = Part(cell, spec.show, fragment, lines=spec.lines, output_lines=spec.output_lines)
        draft.parts.append(part)
    slides: list[Slide] = []
    for draft in drafts:
        if not draft.parts:
            raise SlideError(f"{draft.first.where}: the slide shows nothing (only notes)")
        title = draft.title or draft.first.section
        slides.append(Slide(title, draft.first, tuple(draft.parts), tuple(draft.notes)))
    return slides


def _own_heading(cell: Cell) -> str | None:
    stripped = cell.source.lstrip()
    if stripped.startswith("#"):
        return cell.section
    return None


def _source_talk(pages: Sequence[Page]) -> str | None:
    for page in pages:
        for cell in page.cells:
            if cell.kind != "markdown":
                continue
            for key in _cited_keys(cell.source):
                if key.startswith(SPEAKER_CITATION_PREFIX):
                    return key
    return None


def _cited_keys(markdown: str) -> list[str]:
    keys: list[str] = []
    for match in re.finditer(r"\{cite(?::\w+)?\}`([^`]+)`", markdown):
        keys.extend(k.strip() for k in match.group(1).split(","))
    return keys
