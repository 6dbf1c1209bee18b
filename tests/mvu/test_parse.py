"""The browser-like parser against html5lib, which implements all of HTML's tree building.

The generated markup keeps to what the subset models (see fmlab.mvu._parse): no
formatting elements such as <b> or <a>, whose repairs need the adoption agency.
"""

from __future__ import annotations

import html5lib
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.mvu import Element, Node, Text, h, parse_html, render_html
from fmlab.mvu._parse import render_tree
from tests.mvu.strategies import any_tree, as_rendered, merged

TAGS = ["div", "p", "span", "ul", "li", "table", "tbody", "tr", "td", "th", "button", "h1"]
TAGS += ["h2", "pre", "form", "dl", "dd", "dt", "section", "label", "caption", "thead"]


def html5lib_nodes(source: str) -> list[Node]:
    # A whole no-quirks document, not parseFragment: html5lib's fragment mode skips some
    # reprocessing steps (a <table> inside a <table> is dropped there).
    document = html5lib.parse(
        "<!DOCTYPE html><html><head></head><body>" + source,
        treebuilder="etree",
        namespaceHTMLElements=False,
    )
    return _children(document.find("body"))


def _children(element: object) -> list[Node]:
    nodes: list[Node] = []

    def add_text(value: str | None) -> None:
        if not value:
            return
        if nodes and isinstance(nodes[-1], Text):
            nodes[-1] = Text(nodes[-1].text + value)
        else:
            nodes.append(Text(value))

    add_text(element.text)  # type: ignore[attr-defined]
    for child in element:  # type: ignore[attr-defined]
        attrs = tuple(child.attrib.items())
        nodes.append(Element(child.tag, attrs, tuple(_children(child))))
        add_text(child.tail)
    return nodes


def normalised(nodes: list[Node] | tuple[Node, ...]) -> list[Node]:
    """Attribute values as strings (a bare attribute is the empty string)."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node)
        else:
            attrs = tuple((k, "" if v is True else str(v)) for k, v in node.attrs)
            out.append(Element(node.tag, attrs, tuple(normalised(node.children))))
    return out


TABLE_CONTEXT = {"table", "tbody", "thead", "tr"}
TABLE_CHILDREN = ["tbody", "thead", "tr", "td", "th", "caption", "table"]


def markup(depth: int, parent: str = "div") -> st.SearchStrategy[Node | str]:
    """Markup in any nesting, except that table parts hold only table parts and text.

    html5lib 1.1 loses foster parenting when a start tag under a moved element closes
    another one (``<table><p><li>`` puts the ``<li>`` inside the table; Chromium moves it
    in front, as the standard says and as fmlab does), so elements that would be moved
    out of a table are left to the Chromium test (test_parse_chromium.py).
    """
    leaves = st.sampled_from(["x", " ", "y z"])
    if depth == 0:
        return leaves
    names = TABLE_CHILDREN if parent in TABLE_CONTEXT else TAGS
    element = st.sampled_from(names).flatmap(
        lambda tag: st.builds(
            lambda kids: h(tag, {}, kids), st.lists(markup(depth - 1, tag), max_size=3)
        )
    )
    return st.one_of(leaves, element)


markup_trees = markup(4)


@settings(max_examples=400, deadline=None)
@given(st.lists(markup_trees, min_size=1, max_size=3))
def test_the_subset_builds_what_html5lib_builds(trees: list[Node | str]) -> None:
    source = render_html(h("div", {}, trees))
    ours = normalised(parse_html(source).nodes)
    theirs = html5lib_nodes(source)
    assert ours == theirs, (source, render_tree(ours), render_tree(theirs))


@settings(max_examples=200, deadline=None)
@given(any_tree(max_leaves=8))
def test_a_tree_is_kept_exactly_when_no_repair_is_reported(tree: Element) -> None:
    parsed = parse_html(render_html(tree))
    kept = normalised(parsed.nodes) == [as_rendered(merged(tree))]
    assert kept == (not parsed.repaired), [str(r) for r in parsed.repairs]


def test_div_in_p_is_split_as_browsers_do() -> None:
    parsed = parse_html("<p>a<div>b</div>c</p>")
    assert render_tree(parsed.nodes) == "<p>a</p><div>b</div>c<p></p>"
    assert render_tree(parsed.nodes) == render_tree(html5lib_nodes("<p>a<div>b</div>c</p>"))
    assert [repair.line for repair in parsed.repairs] == [1, 1]


def test_tr_in_table_gets_a_tbody_and_text_is_fostered() -> None:
    source = "<table>oops<tr><td>1</td></tr></table>"
    parsed = parse_html(source)
    assert render_tree(parsed.nodes) == "oops<table><tbody><tr><td>1</td></tr></tbody></table>"
    assert render_tree(parsed.nodes) == render_tree(html5lib_nodes(source))
    assert any("implied <tbody>" in repair.summary for repair in parsed.repairs)


def test_a_whole_page_is_accepted() -> None:
    source = "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>"
    assert render_tree(parse_html(source).nodes) == "<title>t</title><p>x</p>"
