"""The server renderer: a virtual tree as an HTML string, escaped and deterministic.

Every text and attribute value is escaped, so a message that contains ``</script>``,
quotes or ampersands shows up as those characters and never as markup. Handlers
(``on_<event>``) are not written: on the server they are data the client attaches when it
hydrates. The same tree always gives the same string (attributes keep the order the view
gave them).

>>> from fmlab.mvu._nodes import h
>>> print(render_html(h("p", {"title": 'say "hi"'}, ["1 < 2 & </script>"])))
<p title="say &quot;hi&quot;">1 &lt; 2 &amp; &lt;/script&gt;</p>
>>> print(render_html(h("input", {"type": "checkbox", "checked": True})))
<input type="checkbox" checked>
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fmlab.mvu._nodes import VOID_ELEMENTS, AttrValue, Element, Node, Text

# The parser drops one newline right after these start tags, so a text that starts with
# a newline needs a second one to survive (HTML's tree construction, "pre" and "textarea").
NEWLINE_EATERS = frozenset({"pre", "textarea", "listing"})

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# In attribute values '<' and '>' are harmless, but escaping them keeps the output safe
# to paste anywhere. A carriage return would become a line feed (the parser normalises
# newlines in the input stream), a character reference survives.
_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
)


def escape_text(value: str) -> str:
    """Escape text for an HTML element's content.

    >>> escape_text("a < b & c > d")
    'a &lt; b &amp; c &gt; d'
    """
    return value.translate(_TEXT_ESCAPES)


def escape_attribute(value: str) -> str:
    """Escape text for a double-quoted attribute value.

    >>> escape_attribute('"x" & <y>')
    '&quot;x&quot; &amp; &lt;y&gt;'
    """
    return value.translate(_ATTRIBUTE_ESCAPES)


def attribute_text(value: AttrValue) -> str:
    """The string an attribute value becomes in HTML (``True`` is the empty string).

    >>> [attribute_text(v) for v in ("a", 3, 1.5, True)]
    ['a', '3', '1.5', '']
    """
    if value is True:
        return ""
    return value if isinstance(value, str) else str(value)


Marker = Callable[[tuple[int, ...], Element], Mapping[str, str]]
"""Extra attributes for some elements (the static form marks elements with handlers)."""


def render_html(node: Node, *, marker: Marker | None = None) -> str:
    """The HTML of a virtual tree, as a server sends it.

    ``marker`` may add attributes to elements (by path); apps never need it.
    """
    parts: list[str] = []
    _render(node, (), parts, marker)
    return "".join(parts)


def _render(node: Node, path: tuple[int, ...], parts: list[str], marker: Marker | None) -> None:
    if isinstance(node, Text):
        parts.append(node.text.translate(_TEXT_ESCAPES))
        return
    tag = node.tag
    parts.append("<" + tag)
    for name, value in node.attrs:
        if value is True:
            parts.append(" " + name)
        else:
            parts.append(f' {name}="{escape_attribute(attribute_text(value))}"')
    if marker is not None:
        for name, extra in marker(path, node).items():
            parts.append(f' {name}="{escape_attribute(extra)}"')
    parts.append(">")
    if tag in VOID_ELEMENTS:
        return
    children = node.children
    if (
        tag in NEWLINE_EATERS
        and children
        and isinstance(children[0], Text)
        and children[0].text.startswith("\n")
    ):
        parts.append("\n")
    for index, child in enumerate(children):
        _render(child, (*path, index), parts, marker)
    parts.append(f"</{tag}>")


OUTLINE_WIDTH = 88


def outline(node: Node, width: int = OUTLINE_WIDTH) -> str:
    """The tree as indented markup for reading (handlers shown as ``on_click=Msg()``).

    An element whose children are all texts stays on one line; lines longer than
    ``width`` are cut with ``...``. This is for people; :func:`render_html` is the HTML.

    >>> from fmlab.mvu._nodes import h
    >>> print(outline(h("ul", {"class": "todo"}, [h("li", {"on_click": 3}, ["milk"])])))
    <ul class="todo">
      <li on_click=3>milk</li>
    </ul>
    """
    lines: list[str] = []
    _outline(node, 0, lines)
    return "\n".join(line if len(line) <= width else line[: width - 3] + "..." for line in lines)


def _opening(node: Element) -> str:
    parts = [node.tag]
    for name, value in node.attrs:
        parts.append(name if value is True else f'{name}="{attribute_text(value)}"')
    parts.extend(f"on_{event}={message!r}" for event, message in node.on)
    return "<" + " ".join(parts) + ">"


def _outline(node: Node, level: int, lines: list[str]) -> None:
    pad = "  " * level
    if isinstance(node, Text):
        lines.append(pad + repr(node.text)[1:-1])
        return
    if node.tag in VOID_ELEMENTS:
        lines.append(pad + _opening(node))
        return
    if all(isinstance(child, Text) for child in node.children):
        inner = "".join(child.text for child in node.children if isinstance(child, Text))
        lines.append(f"{pad}{_opening(node)}{repr(inner)[1:-1]}</{node.tag}>")
        return
    lines.append(pad + _opening(node))
    for child in node.children:
        _outline(child, level + 1, lines)
    lines.append(f"{pad}</{node.tag}>")
