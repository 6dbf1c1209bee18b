"""Explanations folded to the page: lines a notebook or a terminal shows without scrolling.

An explanation printed wider than the page wraps a second time in the browser, in the
middle of a sentence, or makes a terminal scroll. The published site's output boxes hold
77 characters of code at 1280 px (measured in Chromium: 14 px monospace in the
book theme's column), so every ``explain`` and ``lines`` in :mod:`fmlab.mvu` folds its own
lines to 76 here, keeping each line's indentation so nested details stay nested. That also
fits an 80-column terminal.
"""

from __future__ import annotations

import re
import textwrap

LINE_WIDTH = 76
"""The widest line an explanation prints (the site's output box holds 77 characters)."""


def fold(text: str, width: int = LINE_WIDTH) -> str:
    """Every line of ``text`` wrapped to ``width``; continuations indented two more spaces.

    Words longer than a line (a stretch of HTML with no spaces) are cut, because a line
    that runs off the page hides more than a word split at the margin.
    """
    out: list[str] = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip(" ")))
        out.extend(
            textwrap.wrap(
                line.strip(),
                width,
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_on_hyphens=False,
            )
            or [""]
        )
    return "\n".join(out)


_PIECE = re.compile(r"<[^>]*>?[^<]*|[^<]+")
"""A tag with the text after it: breaking only in front of a ``<`` never splits a text."""


def fold_markup(markup: str, indent: str, width: int = LINE_WIDTH) -> list[str]:
    """``markup`` in lines of at most ``width`` characters, broken in front of a tag.

    Breaking at a space inside a text would look like whitespace the tree does not have;
    a break in front of ``<`` adds none. A tag and its text too long for a line are cut.
    """
    room = max(width - len(indent), 8)
    lines: list[str] = []
    current = ""
    for token in _PIECE.findall(markup):
        while len(token) > room:
            if current:
                lines.append(current)
                current = ""
            lines.append(token[:room])
            token = token[room:]
        if len(current) + len(token) > room:
            lines.append(current)
            current = ""
        current += token
    if current or not lines:
        lines.append(current)
    return [indent + line for line in lines]
