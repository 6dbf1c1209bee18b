r"""Turning arbitrary text into safe Graphviz labels, and values into short stable text.

Atom names come from users (IAM ARNs, Japanese identifiers, names with quotes), so every
label goes through one of two escapers: :func:`plain_label` for ordinary DOT strings and
:func:`html_text` for the HTML-like labels of table nodes.

>>> print(plain_label('say "hi"\\now'))
say "hi"\\now
>>> print(plain_label("two\nlines"))
two\nlines
>>> html_text('<a & "b">')
'&lt;a &amp; &quot;b&quot;&gt;'
>>> sorted(["n10", "n2", "n1"], key=natural_key)
['n1', 'n2', 'n10']
>>> show_value(frozenset({"b", "a"})), show_value({"y": 2, "x": (1, "s")})
("{'a', 'b'}", "{'x': (1, 's'), 'y': 2}")
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import graphviz

_DIGITS = re.compile(r"(\d+)")
# Characters dot cannot carry into SVG/XML: controls (except the newline we turn into a
# line break), lone surrogates (they do not even encode as UTF-8) and unassigned code
# points, which include the XML-forbidden noncharacters U+FFFE and U+FFFF.
_UNPRINTABLE = frozenset({"Cc", "Cs", "Cn"})


def _visible(text: str) -> str:
    """Replace characters XML cannot hold by a visible ``\\xNN``/``\\uNNNN`` spelling."""
    if not any(unicodedata.category(c) in _UNPRINTABLE and c != "\n" for c in text):
        return text
    out = []
    for char in text:
        if char != "\n" and unicodedata.category(char) in _UNPRINTABLE:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def plain_label(text: str) -> str:
    r"""A DOT escString showing ``text`` literally; newlines become line breaks.

    Backslashes are doubled so ``\l`` or ``\N`` in a name is not read as a Graphviz
    escape, and ``&`` is written ``&amp;`` because dot expands entities such as ``&lt;``
    even in plain labels. The result is marked ``nohtml`` so ``<...>`` is not taken as
    an HTML label; the python-graphviz quoting escapes double quotes when it writes it.
    """
    escaped = _visible(text).replace("\\", "\\\\").replace("&", "&amp;").replace("\n", "\\n")
    label: str = graphviz.nohtml(escaped)
    return label


def html_text(text: str) -> str:
    """``text`` escaped for the inside of an HTML-like label (newlines become ``<BR/>``)."""
    escaped = (
        _visible(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )
    return escaped.replace("\n", '<BR ALIGN="LEFT"/>')


NaturalKey = tuple[tuple[tuple[int, int | str], ...], str]


def natural_key(text: str) -> NaturalKey:
    """Sort key putting ``Node2`` before ``Node10``.

    The text itself breaks ties (``Node9`` and ``Node09``), so the order is total and
    never depends on the order the names came in.
    """
    parts = _DIGITS.split(text)
    chunks = tuple((1, int(part)) if i % 2 else (0, part) for i, part in enumerate(parts))
    return chunks, text


def show_value(value: Any) -> str:
    """Short, deterministic text for a Python value (sets and dicts printed sorted)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool | int | float) or value is None:
        return repr(value)
    if isinstance(value, Mapping):
        items = sorted((show_value(k), show_value(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, set | frozenset):
        if not value:
            return "∅"
        return "{" + ", ".join(sorted(show_value(v) for v in value)) + "}"
    if isinstance(value, tuple):
        inner = ", ".join(show_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return str(value)


def show_state(state: Any) -> str:
    """A state's label: strings as they are, anything else through :func:`show_value`.

    >>> show_state("idle"), show_state(frozenset({"b", "a"})), show_state((0, 1))
    ('idle', "{'a', 'b'}", '(0, 1)')
    """
    return state if isinstance(state, str) else show_value(state)
