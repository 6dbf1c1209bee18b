from __future__ import annotations

import pytest

from fmlab.viz._text import html_text, natural_key, plain_label, show_value


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain", "plain"),
        ("&lt; &", "&amp;lt; &amp;"),
        ("back\\slash", "back\\\\slash"),
        ("\\N and \\l", "\\\\N and \\\\l"),
        ("two\nlines", "two\\nlines"),
        ("bell\x07", "bell\\\\x07"),
        ("日本語", "日本語"),
    ],
)
def test_plain_label_doubles_backslashes_and_breaks_lines(raw: str, escaped: str) -> None:
    assert plain_label(raw) == escaped


def test_plain_label_is_never_taken_for_html() -> None:
    import graphviz

    graph = graphviz.Digraph()
    graph.node("n", label=plain_label("<b>"))
    assert 'label="<b>"' in graph.source


def test_plain_label_quotes_are_escaped_once_by_graphviz() -> None:
    import graphviz

    graph = graphviz.Digraph()
    graph.node("n", label=plain_label('say "hi" \\"'))
    assert r'label="say \"hi\" \\\""' in graph.source


def test_html_text_escapes_markup() -> None:
    assert html_text('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert html_text("a\nb") == 'a<BR ALIGN="LEFT"/>b'


def test_html_text_makes_xml_forbidden_characters_visible() -> None:
    assert html_text("\x00\ufffe") == "\\x00\\ufffe"


def test_natural_key_orders_numbers_by_value() -> None:
    names = ["Node10", "Node9", "Node", "node1", "Node09"]
    assert sorted(names, key=natural_key) == ["Node", "Node09", "Node9", "Node10", "node1"]


def test_show_value_sorts_unordered_collections() -> None:
    assert show_value({3, 1, 2}) == "{1, 2, 3}"
    assert show_value(frozenset()) == "∅"
    assert show_value({"b": 1, "a": [1, (2,)]}) == "{'a': [1, (2,)], 'b': 1}"
    assert show_value("s") == "'s'"
    assert show_value(None) == "None"
