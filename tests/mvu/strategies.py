"""Hypothesis strategies for virtual trees: any nesting, and nesting the parser keeps."""

from __future__ import annotations

from hypothesis import strategies as st

from fmlab.mvu import Element, Node, Text, h
from fmlab.mvu._html import attribute_text

# Every character HTML can carry: no NUL, no lone surrogates.
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
)
nasty_texts = st.sampled_from(
    ["</script>", "<b>", '"quoted"', "'single'", "a & b", "&amp;", "\r\n", "\n", "  ", "<!--"]
)
attribute_values = st.one_of(texts, nasty_texts, st.integers(-5, 5), st.just(True))
attribute_names = st.sampled_from(["class", "title", "id", "data-x", "aria-label", "value"])
attributes = st.dictionaries(attribute_names, attribute_values, max_size=3)
any_text = st.one_of(texts, nasty_texts)

ALL_TAGS = ["div", "p", "span", "ul", "li", "table", "tbody", "tr", "td", "button", "h1"]
ALL_TAGS += ["h2", "pre", "form", "dl", "dd", "dt", "section", "label", "textarea"]


def any_tree(max_leaves: int = 12) -> st.SearchStrategy[Element]:
    """Trees with any nesting of :data:`ALL_TAGS`, valid or not, plus void inputs."""
    leaf: st.SearchStrategy[Node | str] = st.one_of(
        any_text, st.builds(lambda a: h("input", a), attributes), st.just(h("br"))
    )

    def extend(children: st.SearchStrategy[Node | str]) -> st.SearchStrategy[Node | str]:
        return st.builds(
            lambda tag, attrs, kids: h(tag, attrs, kids),
            st.sampled_from(ALL_TAGS),
            attributes,
            st.lists(children, max_size=4),
        )

    tree = st.recursive(leaf, extend, max_leaves=max_leaves)
    return st.builds(
        lambda attrs, kids: h("div", attrs, kids), attributes, st.lists(tree, max_size=4)
    )


def valid_tree(max_depth: int = 4) -> st.SearchStrategy[Element]:
    """Trees whose nesting HTML's parser keeps as written (a conservative content model)."""
    return st.builds(lambda attrs, kids: h("div", attrs, kids), attributes, _flow(max_depth))


def _phrasing(depth: int) -> st.SearchStrategy[list[Node | str]]:
    leaves: list[st.SearchStrategy[Node | str]] = [
        any_text,
        st.builds(lambda a: h("input", a), attributes),
        st.just(h("br")),
    ]
    if depth > 0:
        inner = _phrasing(depth - 1)
        leaves.append(st.builds(lambda a, k: h("span", a, k), attributes, inner))
        leaves.append(st.builds(lambda a, k: h("label", a, k), attributes, inner))
    return st.lists(st.one_of(leaves), max_size=3)


def _flow(depth: int) -> st.SearchStrategy[list[Node | str]]:
    options: list[st.SearchStrategy[Node | str]] = [
        any_text,
        st.builds(lambda a, k: h("p", a, k), attributes, _phrasing(depth)),
        st.builds(lambda a, k: h("button", a, k), attributes, _phrasing(min(depth, 1))),
    ]
    if depth > 0:
        inner = _flow(depth - 1)
        options.append(st.builds(lambda a, k: h("div", a, k), attributes, inner))
        options.append(
            st.builds(
                lambda a, items: h("ul", a, [h("li", {}, kids) for kids in items]),
                attributes,
                st.lists(inner, max_size=3),
            )
        )
        options.append(
            st.builds(
                lambda rows: h(
                    "table",
                    {},
                    [h("tbody", {}, [h("tr", {}, [h("td", {}, c) for c in row]) for row in rows])],
                ),
                st.lists(st.lists(inner, max_size=2), max_size=2),
            )
        )
    return st.lists(st.one_of(options), max_size=3)


def merged(node: Node) -> Node:
    """``node`` with adjacent texts merged, as a parser builds them."""
    if isinstance(node, Text):
        return node
    children: list[Node] = []
    for child in node.children:
        child = merged(child)
        if isinstance(child, Text) and children and isinstance(children[-1], Text):
            children[-1] = Text(children[-1].text + child.text)
        else:
            children.append(child)
    return Element(node.tag, node.attrs, tuple(children))


def as_rendered(node: Node) -> Node:
    """The tree as HTML can carry it: attribute values as strings, no handlers."""
    if isinstance(node, Text):
        return node
    attrs = tuple((name, attribute_text(value)) for name, value in node.attrs)
    return Element(node.tag, attrs, tuple(as_rendered(child) for child in node.children))
