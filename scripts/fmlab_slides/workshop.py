"""A chapter's workshop deck: every notebook of the chapter, whole and in order, as slides.

Nobody marks the cells. The deck follows the notebook: its title (``#``) opens a notebook
slide, each ``##`` and ``###`` heading starts a slide, and what does not fit on a slide
continues on the next one, titled "... (cont.)": markdown between blocks (a long list
between items, a long admonition between its paragraphs), code and text outputs between
lines; a drawing (each drawing of a gallery) gets a slide of its own. Each exercise has one; its
solution goes to that slide's speaker notes, so the room sees the question and the
speaker the answer. Cells the book hides stay hidden (``remove-cell``; ``remove-input`` /
``hide-input`` show the output only, ``remove-output`` / ``hide-output`` the code only).

An author overrides a cell with ``workshop`` in its ``slides`` metadata (``skip``,
``slide``, ``append``, ``fragment`` or ``notes``; see ``metadata.WorkshopPlacement``).

The fit is estimated in slide pixels from the stylesheet's sizes (``fmlab-slides.css``),
with a margin; the browser test measures every slide, so an estimate that is wrong shows
up as a failing slide, not as text cut off in front of a room.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .deck import Deck, DeckKind, Note, Part, Slide, _source_talk
from .markdown import Block, directive_options, literalinclude_text, markdown_blocks
from .metadata import LineRanges, Show, SlideError, WorkshopPlacement
from .outputs import (
    TILE_OVERLAP,
    WIDGET_VIEW,
    Tile,
    drawing_svg,
    gallery_size,
    merged_outputs,
    svg_geometry,
)
from .sources import Cell, Chapter, Page

# Slide pixels (a slide is 1280 x 720; see fmlab-slides.css). The body is what is left
# under the title; the estimates below err on the side of a slide too many.
BODY_PX = 560.0
TITLE_CHARS = 52  # a title longer than this takes a second line
TEXT_LINE_PX, TEXT_CHARS = 37.0, 86  # 28 px text (about 100 characters a line), height 1.32
CODE_LINE_PX, CODE_CHARS = 25.6, 96  # 20 px monospace, line height 1.28
BLOCK_GAP_PX = 12.0  # the gap between parts, and a paragraph's margin
PRE_PAD_PX = 24.0  # a <pre>'s padding and border
ADMONITION_PAD_PX = 30.0  # its padding plus its title's margin
# Where a drawing goes: the body of a slide with a one-line title, and the least size its
# labels may have there (the browser test's MIN_DRAWING_TEXT_PX, over reveal.js's scale of
# a 1280 x 720 slide on a 1280 x 720 screen, 1 / 1.04, plus a margin).
FIGURE_BOX = (1230.0, 580.0)
LEGIBLE_LABEL_PX = 9.0 * 1.04 * 1.05
HIDDEN_INPUT = frozenset({"remove-input", "hide-input"})
HIDDEN_OUTPUT = frozenset({"remove-output", "hide-output"})
_MARKUP = re.compile(r"\{[\w:-]+\}`([^`]*)`|[*_`]|\]\([^)]*\)|<[^>]+>")
_IMAGE_MIMES = ("image/svg+xml", "image/png", "image/jpeg")


def workshop_deck(root: Path, chapter: Chapter, pages: Sequence[Page]) -> Deck | None:
    """The chapter's workshop deck: its notebooks in `_toc.yml` order, whole."""
    slides: list[Slide] = []
    for page in pages:
        slides.extend(_Paginator(root, page).slides())
    if not slides:
        return None
    return Deck(
        chapter=chapter,
        kind=DeckKind.WORKSHOP,
        slides=tuple(slides),
        talk=_source_talk(pages),
        pages=tuple(page.docname for page in pages),
    )


@dataclass
class _Draft:
    title: str
    first: Cell
    style: str = ""
    parts: list[Part] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    used: float = 0.0
    full: bool = False  # a drawing took what was left

    def room(self) -> float:
        lines = 2 if len(_plain(self.title)) > TITLE_CHARS else 1
        return 0.0 if self.full else BODY_PX - self.used - (lines - 1) * 46.0


class _Paginator:
    """Lays one notebook's cells out on slides."""

    def __init__(self, root: Path, page: Page) -> None:
        self.root = root
        self.page = page
        self.drafts: list[_Draft] = []
        self.section = page.title
        self.exercises = 0
        self.exercise: _Draft | None = None  # the slide of the last exercise

    def slides(self) -> list[Slide]:
        for cell in self.page.cells:
            self._cell(cell)
        return [
            Slide(d.title, d.first, tuple(d.parts), tuple(d.notes), d.style)
            for d in self.drafts
            if d.parts or d.style or d.notes
        ]

    # --- slides ------------------------------------------------------------------------

    def _start(self, title: str, cell: Cell, style: str = "") -> _Draft:
        current = self.drafts[-1] if self.drafts else None
        if current is not None and not current.parts and not current.style:
            # A heading with nothing under it before the next one: the next one wins, and
            # anything said in its notes moves along.
            self.drafts.pop()
            draft = _Draft(title, cell, style, notes=current.notes)
        else:
            draft = _Draft(title, cell, style)
        self.drafts.append(draft)
        return draft

    def _current(self, cell: Cell) -> _Draft:
        if not self.drafts:
            return self._start(self.page.title, cell, "fmlab-notebook-slide")
        return self.drafts[-1]

    def _room_for(self, cell: Cell, cost: float) -> _Draft:
        """The slide being built if ``cost`` fits on it, else a continuation slide."""
        draft = self._current(cell)
        if cost > draft.room() and (draft.parts or draft.full):
            title = _base_title(draft.title)
            draft = self._start(f"{title} (cont.)", cell)
        return draft

    def _add(self, part: Part, cost: float) -> None:
        draft = self._room_for(part.cell, cost)
        draft.parts.append(part)
        draft.used += cost + BLOCK_GAP_PX

    # --- cells -------------------------------------------------------------------------

    def _cell(self, cell: Cell) -> None:
        override = cell.spec.workshop if cell.spec is not None else None
        if "remove-cell" in cell.tags and override not in (None, WorkshopPlacement.SKIP):
            raise SlideError(
                f"{cell.where}: slides.workshop: a remove-cell cell is hidden in the book; "
                "it cannot be on a slide"
            )
        if override is WorkshopPlacement.SKIP or "remove-cell" in cell.tags:
            return
        if override is WorkshopPlacement.NOTES:
            self._current(cell).notes.append(Note(cell, cell.source))
            return
        if override is WorkshopPlacement.SLIDE and self.drafts:
            starts_with_heading = cell.kind == "markdown" and cell.source.lstrip().startswith("#")
            if not starts_with_heading:
                title = _base_title(self.drafts[-1].title)
                self._start(f"{title} (cont.)", cell)
        if override in (WorkshopPlacement.APPEND, WorkshopPlacement.FRAGMENT):
            # Kept whole on the slide being built, as the author asked.
            draft = self._current(cell)
            show = _whole_cell_show(cell)
            draft.parts.append(Part(cell, show, override is WorkshopPlacement.FRAGMENT))
            draft.used = BODY_PX
            return
        if cell.kind == "markdown":
            self._markdown(cell, markdown_blocks(cell.source))
        else:
            self._code(cell)

    def _markdown(self, cell: Cell, blocks: list[Block]) -> None:
        for block in blocks:
            if block.kind == "target":
                continue
            if block.kind == "heading" and block.level <= 3:
                if block.level == 1:
                    self._start(block.title, cell, "fmlab-notebook-slide")
                else:
                    self._start(block.title, cell)
                self.section = block.title
                self.exercise = None
                continue
            if block.kind == "directive" and block.name == "exercise":
                self.exercises += 1
                title = f"Exercise {self.exercises}"
                if not self.section.lower().startswith("exercise"):
                    title = f"{title}: {self.section}"
                self.exercise = self._start(title, cell, "fmlab-exercise-slide")
                self._text(cell, block)
                continue
            if block.kind == "directive" and block.name == "solution":
                # The speaker's: in the notes of the exercise's slide.
                (self.exercise or self._current(cell)).notes.append(Note(cell, block.text))
                continue
            if block.kind == "directive" and block.name == "literalinclude":
                self._literalinclude(cell, block)
                continue
            self._text(cell, block)

    def _text(self, cell: Cell, block: Block) -> None:
        cost = _block_px(block)
        if cost <= BODY_PX:
            self._add(Part(cell, Show.TEXT, False, text=block.text), cost)
            return
        for piece in _split(block):
            self._add(Part(cell, Show.TEXT, False, text=piece), _block_px(_reblock(piece)))

    def _literalinclude(self, cell: Cell, block: Block) -> None:
        options, _ = directive_options(block.body)
        try:
            code = literalinclude_text(self.root, cell.page, block.argument, options)
        except ValueError:
            # Rendered as written, so the renderer reports the problem with its place.
            self._add(Part(cell, Show.TEXT, False, text=block.text), CODE_LINE_PX)
            return
        language = str(options.get("language", "python"))
        code_lines = code.rstrip("\n").split("\n")
        for chunk in _chunks(code_lines, _code_lines_px, self._first_room(cell)):
            fence = "`" * 4
            text = f"{fence}{language}\n" + "\n".join(chunk) + f"\n{fence}"
            self._add(Part(cell, Show.TEXT, False, text=text), _code_lines_px(chunk))

    def _code(self, cell: Cell) -> None:
        show_code = not (HIDDEN_INPUT & set(cell.tags))
        show_output = not (HIDDEN_OUTPUT & set(cell.tags))
        if show_code:
            lines = cell.source.rstrip("\n").split("\n")
            start = 1
            for chunk in _chunks(lines, _code_lines_px, self._first_room(cell)):
                end = start + len(chunk) - 1
                ranges = LineRanges(((start, end),))
                self._add(Part(cell, Show.CODE, False, lines=ranges), _code_lines_px(chunk))
                start = end + 1
        if not show_output:
            return
        for index, output in enumerate(merged_outputs(cell.outputs)):
            self._output(cell, index, output)

    def _first_room(self, cell: Cell) -> float:
        """Room for the first piece of a long code or output block: what is left on the
        slide being built, when that holds a few lines; else a whole slide."""
        room = self._current(cell).room() - BLOCK_GAP_PX
        return room if room >= _code_lines_px(["", "", "", ""]) else BODY_PX

    def _figure(self, cell: Cell, part: Part, tile: Tile | None) -> None:
        draft = self._current(cell)
        if draft.parts or draft.full:
            title = _base_title(draft.title)
            if tile is not None:
                number = tile.row * tile.columns + tile.column + 1
                title = f"{title} (part {number} of {tile.rows * tile.columns})"
            else:
                title = f"{title} (cont.)"
            draft = self._start(title, cell)
        draft.parts.append(part)
        draft.full = True

    def _output(self, cell: Cell, index: int, output: Mapping[str, Any]) -> None:
        kind = output.get("output_type")
        data: Mapping[str, Any] = output.get("data", {}) if kind != "stream" else {}
        if kind == "stream" or (data and set(data) <= {"text/plain"}):
            raw = output.get("text") if kind == "stream" else data.get("text/plain", "")
            lines = _joined(raw).rstrip("\n").split("\n")
            start = 1
            for chunk in _chunks(lines, _code_lines_px, self._first_room(cell)):
                end = start + len(chunk) - 1
                part = Part(
                    cell,
                    Show.OUTPUT,
                    False,
                    outputs=(index,),
                    output_lines=LineRanges(((start, end),)),
                )
                self._add(part, _code_lines_px(chunk))
                start = end + 1
            return
        if kind not in ("execute_result", "display_data"):
            return  # an error: the renderer reports it
        part = Part(cell, Show.OUTPUT, False, outputs=(index,))
        if WIDGET_VIEW in data or any(mime in data for mime in _IMAGE_MIMES):
            # A drawing gets a slide to itself, and a gallery a slide per drawing: side by
            # side, or under code, their labels would be too small to read.
            items = gallery_size(self.page.widget_state, data)
            for item in range(items) if items else [None]:
                found = drawing_svg(self.page.widget_state, data, item)
                svg, caption_lines = found if found else (None, 0)
                for tile in _tiles(svg, caption_lines):
                    figure = Part(cell, Show.OUTPUT, False, outputs=(index,), item=item, tile=tile)
                    self._figure(cell, figure, tile)
            return
        text = _joined(data.get("text/html") or data.get("text/markdown") or "")
        rows = text.count("<tr")
        cost = rows * 40.0 if rows else _text_px(_plain(text))
        self._add(part, min(cost, BODY_PX))


def _base_title(title: str) -> str:
    """A slide's title without its "(cont.)" or "(part i of n)"."""
    return re.sub(r" \((cont\.|part \d+ of \d+)\)$", "", title)


def _tiles(svg: str | None, caption_lines: int = 0) -> list[Tile | None]:
    """A drawing whose labels would be too small when fitted to a slide, as a grid of
    windows each shown at a legible size (a long trace top to bottom, a wide graph left to
    right); any other drawing whole."""
    geometry = svg_geometry(svg) if svg else None
    if geometry is None:
        return [None]
    box_width, box_height = FIGURE_BOX
    if caption_lines:  # the caption's <pre> (2 lines a line: it wraps at the slide's width)
        box_height -= _code_lines_px([""] * caption_lines * 2) + BLOCK_GAP_PX
    fitted = min(box_width / geometry.width, box_height / geometry.height)
    if geometry.font_min * fitted >= LEGIBLE_LABEL_PX:
        return [None]
    scale = LEGIBLE_LABEL_PX / geometry.font_min  # slide pixels per unit of the drawing
    # A window is a step of the grid plus its overlaps, and must still fit at that scale.
    grow = 1 + 2 * TILE_OVERLAP
    columns = max(1, math.ceil(geometry.width * scale * grow / box_width))
    rows = max(1, math.ceil(geometry.height * scale * grow / box_height))
    return [Tile(c, r, columns, rows) for r in range(rows) for c in range(columns)]


def _whole_cell_show(cell: Cell) -> Show:
    if cell.kind == "markdown":
        return Show.TEXT
    if HIDDEN_INPUT & set(cell.tags):
        return Show.OUTPUT
    if HIDDEN_OUTPUT & set(cell.tags) or not cell.outputs:
        return Show.CODE
    return Show.BOTH


# --- estimates ------------------------------------------------------------------------------


def _joined(value: object) -> str:
    return "".join(map(str, value)) if isinstance(value, list) else str(value or "")


def _plain(markdown: str) -> str:
    return _MARKUP.sub(lambda m: m.group(1) or "", markdown)


def _text_px(text: str, chars: int = TEXT_CHARS) -> float:
    lines = sum(max(1, math.ceil(len(line) / chars)) for line in text.split("\n") if line.strip())
    return lines * TEXT_LINE_PX + BLOCK_GAP_PX


def _code_lines_px(lines: Sequence[str]) -> float:
    shown = sum(max(1, math.ceil(len(line) / CODE_CHARS)) for line in lines)
    return shown * CODE_LINE_PX + PRE_PAD_PX


def _block_px(block: Block) -> float:
    if block.kind == "heading":
        return TEXT_LINE_PX * 1.3 + BLOCK_GAP_PX
    if block.kind == "fence":
        return _code_lines_px(block.body.rstrip("\n").split("\n"))
    if block.kind == "list":
        return sum(_text_px(_plain(item), TEXT_CHARS - 4) for item in block.items)
    if block.kind == "directive":
        if block.name in ("math",):
            return 90.0
        _, body = directive_options(block.body)
        if block.name in ("code-block", "code", "sourcecode"):
            return _code_lines_px(body.rstrip("\n").split("\n"))
        inner = sum(_block_px(b) for b in markdown_blocks(body))
        return inner + TEXT_LINE_PX + ADMONITION_PAD_PX
    text = block.text
    if text.lstrip().startswith("$$"):
        return 90.0 * max(1, text.count("\\\\") + 1)
    if text.lstrip().startswith("|"):
        return sum(_table_row_px(row) for row in text.strip().split("\n"))
    return _text_px(_plain(text))


def _table_cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _table_row_px(row: str) -> float:
    """A Markdown table row's height: its tallest cell, each column a share of a line."""
    cells = _table_cells(row)
    if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
        return 0.0  # the line under the header
    chars = max(8, int(TEXT_CHARS * 0.9 / max(1, len(cells))))
    lines = max(max(1, -(-len(_plain(cell)) // chars)) for cell in cells)
    return lines * TEXT_LINE_PX + 10.0


def _split_table(text: str) -> list[str]:
    """A table too tall for a slide, between rows, each piece under the same header."""
    rows = text.strip().split("\n")
    head, body = rows[:2], rows[2:]
    room = BODY_PX - sum(_table_row_px(row) for row in head)
    pieces: list[list[str]] = [[]]
    used = 0.0
    for row in body:
        cost = _table_row_px(row)
        if pieces[-1] and used + cost > room:
            pieces.append([])
            used = 0.0
        pieces[-1].append(row)
        used += cost
    return ["\n".join([*head, *piece]) for piece in pieces]


def _reblock(text: str) -> Block:
    blocks = markdown_blocks(text)
    if len(blocks) == 1:
        return blocks[0]
    return Block("directive", text, name="admonition", body=text)  # a conservative stand-in


def _chunks(lines: Sequence[str], cost: Any, first_room: float = BODY_PX) -> list[list[str]]:
    """Consecutive lines in pieces: the first fits in ``first_room``, the others a slide."""
    chunks: list[list[str]] = [[]]
    for line in lines:
        room = first_room if len(chunks) == 1 else BODY_PX
        if chunks[-1] and cost([*chunks[-1], line]) > room:
            chunks.append([])
        chunks[-1].append(line)
    return chunks


def _split(block: Block) -> list[str]:
    """A block too tall for a slide, as pieces of source that each fit on one."""
    if block.kind == "list":
        pieces: list[list[str]] = [[]]
        used = 0.0
        for item in block.items:
            cost = _text_px(_plain(item), TEXT_CHARS - 4)
            if pieces[-1] and used + cost > BODY_PX:
                pieces.append([])
                used = 0.0
            pieces[-1].append(item)
            used += cost
        return ["\n".join(piece) for piece in pieces]
    if block.kind == "fence":
        fence = "`" * 4
        chunks = _chunks(block.body.rstrip("\n").split("\n"), _code_lines_px, BODY_PX)
        return [f"{fence}{block.argument}\n" + "\n".join(c) + f"\n{fence}" for c in chunks]
    if block.kind == "directive":
        # An admonition too long for one slide: its blocks in pieces, each under the same
        # directive line and options.
        options_text, body = _options_source(block.body)
        inner = markdown_blocks(body)
        room = BODY_PX - TEXT_LINE_PX - ADMONITION_PAD_PX
        groups: list[list[str]] = [[]]
        used = 0.0
        for piece in inner:
            cost = _block_px(piece)
            if groups[-1] and used + cost > room:
                groups.append([])
                used = 0.0
            groups[-1].append(piece.text)
            used += cost
        fence = "`" * 4
        head = f"{fence}{{{block.name}}} {block.argument}".rstrip()
        return [f"{head}\n{options_text}\n" + "\n\n".join(g) + f"\n{fence}" for g in groups]
    if block.text.lstrip().startswith("|"):
        return _split_table(block.text)
    # A paragraph longer than a slide: between sentences.
    sentences = re.split(r"(?<=[.!?])\s+", block.text)
    pieces_text: list[list[str]] = [[]]
    for sentence in sentences:
        if pieces_text[-1] and _text_px(_plain(" ".join([*pieces_text[-1], sentence]))) > BODY_PX:
            pieces_text.append([])
        pieces_text[-1].append(sentence)
    return [" ".join(piece) for piece in pieces_text]


def _options_source(content: str) -> tuple[str, str]:
    """A directive's option lines as written, and its body."""
    lines = content.split("\n")
    index = 0
    while index < len(lines) and re.match(r"^:[\w-]+:", lines[index]):
        index += 1
    return "\n".join(lines[:index]), "\n".join(lines[index:]).lstrip("\n")
