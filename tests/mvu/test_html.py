"""render_html: escaped, deterministic, and parsed back by html.parser to the same tree."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings

from fmlab.mvu import Element, Node, Text, h, render_html
from tests.mvu.strategies import any_text, any_tree, as_rendered, merged

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}


class _Builder(HTMLParser):
    """A tree from html.parser's events: no repairs, since html.parser makes none.

    Like a browser it drops one newline right after <pre>/<textarea>/<listing>; html.parser
    keeps it, and render_html writes an extra one for texts that start with a newline.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[tuple[str, str]], list[Node]]] = [("#root", [], [])]
        self.eat_newline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = [(name, "" if value is None else value) for name, value in attrs]
        if tag in VOID:
            self.stack[-1][2].append(Element(tag, tuple(values), ()))
        else:
            self.stack.append((tag, values, []))
        self.eat_newline = tag in {"pre", "textarea", "listing"}

    def handle_endtag(self, tag: str) -> None:
        name, attrs, children = self.stack.pop()
        assert name == tag, (name, tag)
        self.stack[-1][2].append(Element(name, tuple(attrs), tuple(children)))
        self.eat_newline = False

    def handle_data(self, data: str) -> None:
        if self.eat_newline and data.startswith("\n"):
            data = data[1:]
        self.eat_newline = False
        if data:
            children = self.stack[-1][2]
            if children and isinstance(children[-1], Text):
                children[-1] = Text(children[-1].text + data)
            else:
                children.append(Text(data))


def parse_back(html: str) -> list[Node]:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert len(builder.stack) == 1, "unclosed elements"
    return builder.stack[0][2]


@settings(max_examples=300, deadline=None)
@given(any_tree())
def test_output_parses_back_to_the_same_tree(tree: Element) -> None:
    assert parse_back(render_html(tree)) == [as_rendered(merged(tree))]


@settings(deadline=None)
@given(any_text, any_text)
def test_every_text_and_attribute_is_escaped(content: str, value: str) -> None:
    html = render_html(h("p", {"title": value}, [content]))
    assert parse_back(html) == [Element("p", (("title", value),), (Text(content),))]
    # Nothing a text carries can open or close markup of its own.
    assert html.count("<") == 2
    start_tag = html.split(">", 1)[0]
    assert start_tag.count('"') == 2


def test_script_and_quotes_render_as_text() -> None:
    html = render_html(h("p", {"title": "\"'><"}, ["</script><script>alert('x')</script>"]))
    assert html == (
        "<p title=\"&quot;'&gt;&lt;\">&lt;/script&gt;&lt;script&gt;alert('x')&lt;/script&gt;</p>"
    )


def test_rendering_is_deterministic_and_keeps_attribute_order() -> None:
    node = h("a", {"title": "t", "class": "c", "id": "i"}, ["x"])
    assert render_html(node) == render_html(node) == '<a title="t" class="c" id="i">x</a>'


def test_leading_newline_in_pre_survives_the_parser() -> None:
    assert render_html(h("pre", {}, ["\nx"])) == "<pre>\n\nx</pre>"
    assert parse_back(render_html(h("pre", {}, ["\nx"]))) == [Element("pre", (), (Text("\nx"),))]


def test_carriage_returns_become_character_references() -> None:
    assert render_html(h("p", {"title": "a\rb"}, ["c\rd"])) == '<p title="a&#13;b">c&#13;d</p>'


def test_a_view_reads_as_indented_markup_in_a_notebook() -> None:
    from IPython.lib.pretty import pretty

    from fmlab.mvu import App
    from fmlab.mvu._html import outline
    from fmlab.mvu.examples import todo

    app = App.from_module(todo)
    view = app.render(app.run([todo.SetField("x" * 200), todo.Add()])[-1])
    shown = pretty(view)
    assert shown == outline(view)
    lines = shown.splitlines()
    assert lines[0] == '<section class="todo">'
    assert "  <header>" in lines
    assert any("on_input=Typed(SetField)" in line for line in lines)
    assert any(line.strip() == "<button disabled on_click=Add()>Add</button>" for line in lines)
    assert max(map(len, lines)) <= 88
    # Every element of the view is on a line of its own or on its parent's line.
    assert sum(line.strip().startswith("<") and "</" not in line for line in lines) >= 5
