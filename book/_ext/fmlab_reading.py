"""Reading the course on a phone, a laptop and paper: the site's own CSS, JS and templates.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``. It adds

- ``static/fmlab-site.css`` and ``static/fmlab-site.js`` to every page (outputs wrap, code
  and tables scroll in named, focusable boxes, the sidebar toggles work below 992 px, print
  shows everything);
- ``book/_templates`` (lighter page head, accessible names for two theme buttons) and the
  Jinja filter those templates use;
- words beside the emoji of the build status table (myst-nb's ``nb-exec-table`` says a
  notebook passed only with a green tick, which a screen reader or a grey print loses);
- MathJax only on the pages that have mathematics of their own: Sphinx also loads it on
  every page whose table of contents leads to a page with maths (the root page, a chapter
  overview), 1.16 MB each for nothing;
- a link from every SVG drawing in a notebook's output to the SVG itself, so a drawing
  shrunk to the column opens full size (and zooms) on click.

tests/browser/test_reading.py checks the result in Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE.parent / "_templates"
ZOOM_CLASS = "fmlab-zoom"
ZOOM_TITLE = "Open the drawing full size"

_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"(?P<src>[^\"]*)\"[^>]*>\s*</script>\s*")
# Drawings: SVG (Graphviz, Matplotlib) and PNG (Matplotlib's default) images.
_IMG_DRAWING = re.compile(r"<img\b[^>]*\bsrc=\"(?P<src>[^\"]+\.(?P<kind>svg|png))\"[^>]*>")
_LINK_OPEN = re.compile(r"<a\b")
_LINK_CLOSE = re.compile(r"</a>")


def without_scripts(html: str, names: list[str]) -> Markup:
    """``html`` minus every ``<script src=...>`` whose path (before any ``?``) ends in a name.

    >>> str(without_scripts('<script defer src="../a/x.js?d=1"></script><p>', ["a/x.js"]))
    '<p>'
    >>> str(without_scripts('<script src="y.js"></script>', ["x.js"]))
    '<script src="y.js"></script>'
    """

    def keep_or_drop(match: re.Match[str]) -> str:
        path = match.group("src").split("?", 1)[0]
        return "" if any(path.endswith(name) for name in names) else match.group(0)

    return Markup(_SCRIPT.sub(keep_or_drop, str(html)))


def _inside_link(html: str, position: int) -> bool:
    opened = [m.start() for m in _LINK_OPEN.finditer(html, 0, position)]
    closed = [m.start() for m in _LINK_CLOSE.finditer(html, 0, position)]
    return bool(opened) and (not closed or opened[-1] > closed[-1])


def link_drawings(body: str) -> str:
    """Wrap each ``<img src="...svg|png">`` that is not already a link in a link to itself.

    A Graphviz drawing wider than the text column is shown shrunk; the link opens the
    SVG at its own size, where the browser zooms it without blur (a PNG, at its own size).

    >>> link_drawings('<div><img alt="" src="../_images/a.svg" /></div>')  # doctest: +ELLIPSIS
    '<div><a class="fmlab-zoom" href="../_images/a.svg" title="Open the drawing ...'
    >>> link_drawings('<a href="x"><img src="a.svg" /></a>')
    '<a href="x"><img src="a.svg" /></a>'
    >>> link_drawings('<img src="b.png" />')  # doctest: +ELLIPSIS
    '<a class="fmlab-zoom" href="b.png" ... aria-label="Open the drawing full size (PNG)">...'
    """
    pieces: list[str] = []
    last = 0
    for match in _IMG_DRAWING.finditer(body):
        if _inside_link(body, match.start()):
            continue
        src = match.group("src")
        pieces.append(body[last : match.start()])
        pieces.append(
            f'<a class="{ZOOM_CLASS}" href="{src}" title="{ZOOM_TITLE}" '
            f'aria-label="{ZOOM_TITLE} ({match.group("kind").upper()})">{match.group(0)}</a>'
        )
        last = match.end()
    pieces.append(body[last:])
    return "".join(pieces)


STATUS_WORDS = {"✅": "✅ passed", "❌": "❌ failed"}


class StatusInWords(SphinxPostTransform):
    """Spell out the ticks and crosses in the "Status" column of an execution table."""

    # After myst-nb's ExecutionStatsPostTransform (8) has built the table.
    default_priority = 9

    def run(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            header = [entry.astext().strip() for entry in _header_entries(table)]
            if "Status" not in header:
                continue
            column = header.index("Status")
            for row in _body_rows(table):
                entries = [child for child in row.children if isinstance(child, nodes.entry)]
                if column >= len(entries):
                    continue
                for text in list(entries[column].findall(nodes.Text)):
                    words = STATUS_WORDS.get(text.astext().strip())
                    if words is not None:
                        text.parent.replace(text, nodes.Text(words))


def _header_entries(table: nodes.table) -> list[nodes.entry]:
    for thead in table.findall(nodes.thead):
        for row in thead.findall(nodes.row):
            return [child for child in row.children if isinstance(child, nodes.entry)]
    return []


def _body_rows(table: nodes.table) -> list[nodes.row]:
    return [row for tbody in table.findall(nodes.tbody) for row in tbody.findall(nodes.row)]


# Inline maths simple enough to set as text: one-letter variables, numbers, a few operators,
# and one-token super- and subscripts. Anything else is left to MathJax.
_SIMPLE_MATH_TOKEN = re.compile(
    r"\s+|(?P<var>[A-Za-z])|(?P<num>\d+(?:\.\d+)?)|(?P<op>[-+=<>])|(?P<punct>[(),])"
    r"|(?P<cmd>\\(?:le|ge|ne|cdot|times))(?![A-Za-z])"
    r"|(?P<script>[\^_])(?:(?P<one>[A-Za-z0-9])|\{(?P<group>[A-Za-z0-9]+)\})"
)
_MATH_COMMANDS = {"\\le": "≤", "\\ge": "≥", "\\ne": "≠", "\\cdot": "·", "\\times": "×"}


def simple_math(tex: str) -> list[nodes.Node] | None:
    r"""Inline TeX as docutils nodes (italic variables, <sup>/<sub>), or None if not simple.

    A page whose only maths is a formula like ``x^3 + y^3 = z^3`` then needs no MathJax
    (1.16 MB). Letters are variables (italic), operators get spaces around them.

    >>> [node.astext() for node in simple_math("x^3 + y^3 = z^3")]
    ['x', '3', ' + ', 'y', '3', ' = ', 'z', '3']
    >>> [type(node).__name__ for node in simple_math("n_{10} \\le 2")]
    ['emphasis', 'subscript', 'Text', 'Text']
    >>> simple_math("\\frac{1}{2}") is None, simple_math("x^{2y+1}") is None
    (True, True)
    """
    built: list[nodes.Node] = []
    position = 0
    while position < len(tex):
        match = _SIMPLE_MATH_TOKEN.match(tex, position)
        if match is None:
            return None
        position = match.end()
        if match["var"]:
            built.append(nodes.emphasis(match["var"], match["var"]))
        elif match["num"] or match["punct"]:
            text = match["num"] or match["punct"]
            built.append(nodes.Text(text + (" " if text == "," else "")))
        elif match["op"] or match["cmd"]:
            symbol = match["op"] or _MATH_COMMANDS[match["cmd"]]
            built.append(nodes.Text(f" {symbol.replace('-', '−')} "))
        elif match["script"]:
            inner = match["one"] or match["group"]
            kind = nodes.superscript if match["script"] == "^" else nodes.subscript
            built.append(kind(inner, inner))
    return built or None


class SimpleMathAsText(SphinxPostTransform):
    """Set simple inline formulas as text, so that pages with only those skip MathJax."""

    default_priority = 5
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for math in list(self.document.findall(nodes.math)):
            built = simple_math(math.astext())
            if built is not None:
                math.replace_self(nodes.inline("", "", *built, classes=["fmlab-math"]))


def _has_maths(doctree: Any) -> bool:
    if doctree is None:
        return True  # no doctree to look at: keep MathJax
    return any(
        True for _ in doctree.findall(lambda node: isinstance(node, nodes.math | nodes.math_block))
    )


def _mathjax_only_where_maths_is(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if getattr(app.builder, "math_renderer_name", None) != "mathjax":
        return
    own_equations = app.env.get_domain("math").data.get("has_equations", {})
    # Maths of its own that SimpleMathAsText did not set as text needs MathJax.
    if own_equations.get(pagename, False) and _has_maths(doctree):
        return
    mathjax_path = str(app.config.mathjax_path)
    scripts = context.get("script_files", [])

    def is_mathjax(script: Any) -> bool:
        filename = str(getattr(script, "filename", script) or "")
        body = str(getattr(script, "attributes", {}).get("body", ""))
        return filename.endswith(mathjax_path) or body.startswith("window.MathJax")

    context["script_files"] = [script for script in scripts if not is_mathjax(script)]


def _add_paths(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


def _add_filter(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["fmlab_without_scripts"] = without_scripts


def _rewrite_body(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    body = context.get("body")
    if isinstance(body, str) and "<img" in body:
        context["body"] = link_drawings(body)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _add_paths)
    app.connect("builder-inited", _add_filter)
    app.connect("html-page-context", _rewrite_body)
    # After sphinx.ext.mathjax (priority 500) has added its scripts.
    app.connect("html-page-context", _mathjax_only_where_maths_is, priority=800)
    app.add_post_transform(StatusInWords)
    app.add_post_transform(SimpleMathAsText)
    app.add_css_file("fmlab-site.css")
    app.add_js_file("fmlab-site.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
