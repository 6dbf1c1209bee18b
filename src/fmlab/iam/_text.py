"""The IAM chapter's human-readable output, folded to the page.

The published site's output boxes hold 77 characters at 1280 px, and a phone fewer: a
line wider than that is wrapped again by the browser in the middle of a word, or hidden
behind a scroll bar. Every explanation in :mod:`fmlab.iam` keeps its lines within
:data:`WIDTH`, breaking at spaces. Two things are never cut, because cutting them would
change what they say: a word longer than a line (an ARN, an action name) and a JSON
string. Machine-readable forms (``to_json``, ``--json``) are not touched.

>>> print(json_text({"action": "s3:GetObject", "resource": "*"}, indent="  "))
  {
    "action": "s3:GetObject",
    "resource": "*"
  }
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

WIDTH = 76
"""The widest line an explanation prints (the site's output box holds 77 characters)."""

_KEY_AND_VALUE = re.compile(r'^(?P<indent> *)(?P<key>"(?:[^"\\]|\\.)*":) (?P<value>.+)$')
"""A line of ``json.dumps(..., indent=2)`` holding a member: its key, then its value."""


def wrapped(text: str, indent: str = "", width: int = WIDTH, hanging: str = "  ") -> list[str]:
    """``text`` cut at spaces into lines of at most ``width`` characters.

    The first line is indented by ``indent``, the rest by ``hanging`` more; a word longer
    than a line (an ARN) stays whole on a line of its own rather than being cut.
    """
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent + hanging,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def json_lines(value: Any, indent: str = "", width: int = WIDTH) -> list[str]:
    """``value`` as indented JSON, one member a line, within ``width`` where it can be.

    A member too wide for its line puts its value on the next line, two spaces deeper
    (JSON allows whitespace after the colon, so the text still parses to ``value``). A
    single string longer than the room left stays whole: it is the value. Characters
    outside ASCII are escaped, as ``json.dumps`` does by default, so that no character of
    a value (a line separator, say) can start a line of its own.
    """
    lines: list[str] = []
    for line in json.dumps(value, indent=2).splitlines():
        line = indent + line
        member = _KEY_AND_VALUE.match(line)
        if len(line) > width and member is not None:
            lines.append(member["indent"] + member["key"])
            lines.append(member["indent"] + "  " + member["value"])
        else:
            lines.append(line)
    return lines


def json_text(value: Any, indent: str = "", width: int = WIDTH) -> str:
    """:func:`json_lines` joined into one text."""
    return "\n".join(json_lines(value, indent, width))
