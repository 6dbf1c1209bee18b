"""Several drawings in tabs, like pressing Alloy's "Next" to see the next instance.

Each tab is an ``ipywidgets.HTML`` holding finished SVG text, so the page needs no
kernel: a static site with embedded widget state shows every tab. A drawing keeps its own
size (shrinking a wide graph to the page made its labels 2-5 px tall) inside a box that
scrolls, which a keyboard can reach and a screen reader names after the tab.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets

from fmlab.viz._render import to_svg

# dot's SVG starts with an XML declaration, a DOCTYPE and comments, none of which
# belong inside an HTML page.
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)


def svg_fragment(svg: str) -> str:
    """SVG text without what precedes ``<svg`` (XML declaration, DOCTYPE, comments).

    >>> svg_fragment('<?xml version="1.0"?>\\n<!-- x -->\\n<svg width="1"></svg>')
    '<svg width="1"></svg>'
    """
    if "<svg" not in svg:
        raise ValueError("expected SVG text containing <svg")
    return _PROLOGUE.sub("", svg, count=1)


def distinct_titles(titles: Sequence[str]) -> list[str]:
    """The titles, with a repeated one numbered from its second use on.

    Two tabs with the same title cannot be told apart (IAM 01 had two findings with the
    same message).

    >>> distinct_titles(["overlap", "shadowed", "overlap", "overlap"])
    ['overlap', 'shadowed', 'overlap (2)', 'overlap (3)']
    """
    seen: dict[str, int] = {}
    distinct: list[str] = []
    for title in titles:
        seen[title] = seen.get(title, 0) + 1
        distinct.append(title if seen[title] == 1 else f"{title} ({seen[title]})")
    return distinct


def drawing_box(svg: str, label: str) -> str:
    """The HTML of one gallery page: the SVG at its own size in a named, focusable scroll box.

    >>> drawing_box('<svg width="9"></svg>', 'a "b"')  # doctest: +NORMALIZE_WHITESPACE
    '<div class="fmlab-drawing" role="group" tabindex="0" aria-label="a &quot;b&quot;"
      style="overflow:auto;max-width:100%"><svg width="9"></svg></div>'
    """
    name = html.escape(label, quote=True)
    return (
        f'<div class="fmlab-drawing" role="group" tabindex="0" aria-label="{name}" '
        f'style="overflow:auto;max-width:100%">{svg_fragment(svg)}</div>'
    )


def gallery(items: Sequence[tuple[str, Any]], *, timeout_s: float = 30) -> ipywidgets.Tab:
    """A tab per ``(title, drawing)``; a drawing is a ``graphviz.Digraph`` or SVG text.

    Repeated titles are numbered (see ``distinct_titles``).
    """
    if not items:
        raise ValueError("gallery needs at least one (title, drawing) item")
    titles = distinct_titles([title for title, _ in items])
    pages = []
    for title, (_given, drawing) in zip(titles, items, strict=True):
        svg = drawing if isinstance(drawing, str) else to_svg(drawing, timeout_s=timeout_s)
        pages.append(ipywidgets.HTML(value=drawing_box(svg, title)))
    return ipywidgets.Tab(children=pages, titles=titles)
