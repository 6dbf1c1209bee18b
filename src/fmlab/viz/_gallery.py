"""Several drawings in tabs, like pressing Alloy's "Next" to see the next instance.

Each tab is an ``ipywidgets.HTML`` holding finished SVG text, so the page needs no
kernel: a static site with embedded widget state shows every tab.
"""

from __future__ import annotations

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


def gallery(items: Sequence[tuple[str, Any]], *, timeout_s: float = 30) -> ipywidgets.Tab:
    """A tab per ``(title, drawing)``; a drawing is a ``graphviz.Digraph`` or SVG text."""
    if not items:
        raise ValueError("gallery needs at least one (title, drawing) item")
    pages = []
    for _title, drawing in items:
        svg = drawing if isinstance(drawing, str) else to_svg(drawing, timeout_s=timeout_s)
        html = f'<div style="overflow:auto">{svg_fragment(svg)}</div>'
        pages.append(ipywidgets.HTML(value=html))
    return ipywidgets.Tab(children=pages, titles=[title for title, _ in items])
