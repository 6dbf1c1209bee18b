"""The ``slides`` cell metadata: parsed once, checked strictly, named in every error."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

METADATA_KEY = "slides"
_E = TypeVar("_E", bound=enum.Enum)


class SlideError(Exception):
    """Bad slide metadata or an unbuildable deck; the message names the file and the place."""


class Placement(enum.Enum):
    """Where a cell goes in a deck."""

    SLIDE = "slide"  # starts a new slide
    APPEND = "append"  # joins the slide being built
    FRAGMENT = "fragment"  # joins it, revealed on the next key press
    NOTES = "notes"  # its text becomes the speaker notes of the slide being built


class WorkshopPlacement(enum.Enum):
    """Where a cell goes in the chapter's workshop deck, when the author overrides the flow.

    Without the key a cell follows the notebook: headings start slides, long cells
    continue on the next one, exercises get a slide of their own.
    """

    SLIDE = "slide"  # starts a new slide (titled by its section, "(cont.)")
    APPEND = "append"  # stays on the slide being built even when a heading would split
    FRAGMENT = "fragment"  # joins the slide being built, revealed on the next key press
    NOTES = "notes"  # a markdown cell's text goes to the speaker notes
    SKIP = "skip"  # not in the workshop deck


class Show(enum.Enum):
    """What of a cell a slide shows."""

    AUTO = "auto"  # what the book shows (remove-input / remove-output tags respected)
    BOTH = "both"
    CODE = "code"
    OUTPUT = "output"
    TEXT = "text"
    NOTES = "notes"


_CODE_SHOWS = frozenset({Show.AUTO, Show.BOTH, Show.CODE, Show.OUTPUT})
_MARKDOWN_SHOWS = frozenset({Show.AUTO, Show.TEXT, Show.NOTES})
_KNOWN_KEYS = ("lt", "show", "title", "lines", "output_lines", "deck", "workshop")
_LIGHTNING_KEYS = ("show", "title", "lines", "output_lines", "deck")
_RANGES = re.compile(r"^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$")


@dataclass(frozen=True)
class LineRanges:
    """1-based, inclusive line ranges, as an author writes them: "1-3,5"."""

    ranges: tuple[tuple[int, int], ...]

    @classmethod
    def parse(cls, text: str) -> LineRanges:
        if not _RANGES.match(text):
            raise ValueError(f"{text!r} is not a list of line ranges such as '1-3,5'")
        ranges: list[tuple[int, int]] = []
        for piece in text.split(","):
            first, _, last = piece.partition("-")
            start, end = int(first), int(last or first)
            if start < 1 or end < start:
                raise ValueError(f"{piece.strip()!r} is not a range of lines counted from 1")
            ranges.append((start, end))
        return cls(tuple(ranges))

    def select(self, lines: list[str], what: str) -> list[str]:
        """The chosen lines; a range past the end is an error, not a silent trim."""
        chosen: list[str] = []
        for start, end in self.ranges:
            if end > len(lines):
                raise ValueError(f"{what} has {len(lines)} lines, so {start}-{end} is out of range")
            chosen.extend(lines[start - 1 : end])
        return chosen


@dataclass(frozen=True)
class SlideSpec:
    """One cell's slide metadata: its lightning-talk placement and its workshop override."""

    placement: Placement | None  # None: the cell is in no lightning-talk deck
    show: Show = Show.AUTO
    title: str | None = None
    lines: LineRanges | None = None
    output_lines: LineRanges | None = None
    deck: str | None = None
    workshop: WorkshopPlacement | None = None  # None: the cell follows the notebook's flow


def parse_spec(metadata: Mapping[str, object], *, is_code: bool) -> SlideSpec | None:
    """The cell's ``slides`` metadata as a spec, or None when the cell is on no slide.

    Raises ValueError with the field path (``slides.lt``) when the metadata is malformed.
    """
    raw = metadata.get(METADATA_KEY)
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ValueError(f"{METADATA_KEY}: expected a mapping such as {{lt: slide}}, got {raw!r}")
    unknown = sorted(str(key) for key in raw if key not in _KNOWN_KEYS)
    if unknown:
        raise ValueError(
            f"{METADATA_KEY}.{unknown[0]}: unknown key (known: {', '.join(_KNOWN_KEYS)})"
        )
    workshop = _workshop(raw.get("workshop"), is_code=is_code)
    if "lt" not in raw:
        if "workshop" not in raw:
            raise ValueError(f"{METADATA_KEY}.lt: missing (slide, append, fragment or notes)")
        shaping = [key for key in _LIGHTNING_KEYS if key in raw]
        if shaping:
            raise ValueError(
                f"{METADATA_KEY}.{shaping[0]}: shapes a lightning-talk slide, and the cell "
                "has no lt placement (add lt: slide, append, fragment or notes)"
            )
        return SlideSpec(placement=None, workshop=workshop)
    placement = _enum(Placement, raw["lt"], "lt")
    show = _enum(Show, raw.get("show", "auto"), "show")
    if placement is Placement.NOTES:
        if show not in (Show.AUTO, Show.NOTES):
            raise ValueError(f"{METADATA_KEY}.show: a notes cell is shown as notes only")
        placement, show = Placement.APPEND, Show.NOTES
    allowed = _CODE_SHOWS if is_code else _MARKDOWN_SHOWS
    if show not in allowed:
        kind = "code" if is_code else "markdown"
        names = ", ".join(sorted(s.value for s in allowed))
        raise ValueError(f"{METADATA_KEY}.show: a {kind} cell is shown as one of {names}")
    title = _optional_text(raw, "title")
    if title is not None and placement is not Placement.SLIDE:
        raise ValueError(f"{METADATA_KEY}.title: only a cell that starts a slide names it")
    lines = _optional_ranges(raw, "lines")
    output_lines = _optional_ranges(raw, "output_lines")
    if not is_code and (lines or output_lines):
        raise ValueError(f"{METADATA_KEY}.lines: only code cells are trimmed by lines")
    return SlideSpec(
        placement=placement,
        show=show,
        title=title,
        lines=lines,
        output_lines=output_lines,
        deck=_optional_text(raw, "deck"),
        workshop=workshop,
    )


def _workshop(value: object, *, is_code: bool) -> WorkshopPlacement | None:
    if value is None:
        return None
    workshop = _enum(WorkshopPlacement, value, "workshop")
    if workshop is WorkshopPlacement.NOTES and is_code:
        raise ValueError(f"{METADATA_KEY}.workshop: a code cell cannot be notes (use skip)")
    return workshop


def _enum(kind: type[_E], value: object, field: str) -> _E:
    for member in kind:
        if member.value == value:
            return member
    names = ", ".join(str(member.value) for member in kind)
    raise ValueError(f"{METADATA_KEY}.{field}: {value!r} is not one of {names}")


def _optional_text(raw: Mapping[str, object], field: str) -> str | None:
    value = raw.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{METADATA_KEY}.{field}: expected a non-empty string, got {value!r}")
    return value.strip()


def _optional_ranges(raw: Mapping[str, object], field: str) -> LineRanges | None:
    value = raw.get(field)
    if value is None:
        return None
    try:
        return LineRanges.parse(str(value))
    except ValueError as error:
        raise ValueError(f"{METADATA_KEY}.{field}: {error}") from None
