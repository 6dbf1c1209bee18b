"""Work-arounds for upstream bugs in the pinned Sphinx 7.4 stack, found by tests/browser.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``. Drop each one when the
pinned versions contain the upstream fix.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

# A sidebar entry with sub-pages: its link, then a <summary> holding only a chevron icon.
_UNNAMED_SUMMARY = re.compile(
    r"(?P<link><a class=\"[^\"]*\breference internal\b[^\"]*\"[^>]*>(?P<title>.*?)</a>)"
    r"(?P<details><details[^>]*>)<summary>"
)
_TAG = re.compile(r"<[^>]+>")


def _drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # Sphinx 7.4 registers an inline script added after builder start-up twice, once with
    # filename None and once with "" (fixed upstream in sphinx-doc/sphinx#13402, Sphinx 8.2).
    # sphinx-thebe's inline `const THEBE_JS_URL = ...` then runs twice and the second copy
    # throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, float, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for script in scripts:
        if isinstance(script, str):  # a bare file name, as very old extensions add them
            key: tuple[str, float, tuple[tuple[str, str], ...]] = (script, 0, ())
        else:
            attributes = tuple(sorted((str(k), str(v)) for k, v in script.attributes.items()))
            key = (script.filename or "", script.priority, attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def name_sidebar_summaries(toctree_html: str) -> str:
    """Give each icon-only ``<summary>`` of the sidebar a name a screen reader can say.

    pydata-sphinx-theme 0.17 folds a page's sub-pages under a ``<summary>`` that holds only
    a chevron (axe: summary-name, one serious violation per chapter on every page).

    >>> name_sidebar_summaries(
    ...     '<a class="reference internal" href="iam.html">IAM &amp; <em>z3</em></a>'
    ...     '<details><summary><span>icon</span></summary>'
    ... )  # doctest: +ELLIPSIS
    '...<details><summary aria-label="Pages of IAM &amp; z3"><span>icon</span></summary>'
    >>> name_sidebar_summaries(  # the current chapter: its link comes first, details open
    ...     '<a class="current reference internal" href="#">Time</a>'
    ...     '<details open="open"><summary>'
    ... )  # doctest: +ELLIPSIS
    '...<details open="open"><summary aria-label="Pages of Time">'
    """

    def named(match: re.Match[str]) -> str:
        title = html.unescape(_TAG.sub("", match.group("title"))).strip()
        label = html.escape(f"Pages of {title}", quote=True)
        return f'{match.group("link")}{match.group("details")}<summary aria-label="{label}">'

    return _UNNAMED_SUMMARY.sub(named, toctree_html)


def _wrap_toctree_function(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    generate: Callable[..., str] | None = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "fmlab_wrapped", False):
        return

    def generate_named(*args: Any, **kwargs: Any) -> Markup:
        return Markup(name_sidebar_summaries(str(generate(*args, **kwargs))))

    generate_named.fmlab_wrapped = True  # type: ignore[attr-defined]
    context["generate_toctree_html"] = generate_named


# myst-nb names the "Show code cell source" toggle "Toggle hidden content", a name that
# does not contain its visible words (WCAG 2.5.3; axe: label-content-name-mismatch).
# Without the aria-label the visible words are the name.
_HIDDEN_CELL_TOGGLE = '<summary aria-label="Toggle hidden content">'


def _name_cell_toggles_by_their_words(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    body = context.get("body")
    if isinstance(body, str) and _HIDDEN_CELL_TOGGLE in body:
        context["body"] = body.replace(_HIDDEN_CELL_TOGGLE, "<summary>")


def _visit_citation_as_listitem(self: HTML5Translator, node: nodes.citation) -> None:
    # docutils 0.21 opens a role="list" box around consecutive citations and marks each
    # one role="doc-biblioentry", a role ARIA 1.2 deprecates and that is not a list item,
    # so axe reports the list as having no allowed children (aria-required-children,
    # critical, on the references page). The same markup with role="listitem".
    first_of_run = not isinstance(node.previous_sibling(), nodes.citation)
    if first_of_run:
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _drop_duplicate_scripts)
    # After pydata-sphinx-theme (priority 500) has put the function in the context.
    app.connect("html-page-context", _wrap_toctree_function, priority=900)
    app.connect("html-page-context", _name_cell_toggles_by_their_words)
    app.add_node(
        nodes.citation,
        override=True,
        html=(_visit_citation_as_listitem, HTML5Translator.depart_citation),
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
