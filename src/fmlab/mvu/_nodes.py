"""Virtual DOM nodes, built with :func:`h`, and the event handlers a view offers.

A view returns a tree of :class:`Element` and :class:`Text` nodes. Nodes are frozen and
hashable, so two renders of the same model can be compared with ``==``, and a tree is
plain data: no callbacks, no widgets. Attributes named ``on_<event>`` are *handlers*:
their value is the message that event sends (a hashable value, as in Elm), or, for text
inputs, a :class:`Typed` constructor that turns what the user typed into a message.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Increment:
...     pass
>>> button = h("button", {"on_click": Increment(), "class": "big"}, ["+"])
>>> button.tag, button.attrs, button.children
('button', (('class', 'big'),), (Text(text='+'),))
>>> [(handler.event, handler.message) for handler in handlers(button)]
[('click', Increment())]

Mistakes are caught when the node is built, with the path to the culprit:

>>> h("ul", {}, [h("li", {}, [3])])
Traceback (most recent call last):
...
fmlab.mvu._nodes.NodeError: <li> child 0: expected a node or a string, got int 3 (use str(...))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from fmlab.core.errors import InputError

AttrValue: TypeAlias = str | int | float | bool
"""What a plain attribute may hold. ``True`` renders as a boolean attribute (``disabled``),
``False`` and ``None`` leave the attribute out."""

VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
"""Elements that never have children; the HTML parser closes them at once."""

RAW_TEXT_ELEMENTS = frozenset({"script", "style"})
"""Elements whose text the HTML parser does not decode; views may not contain them, since
text escaped for HTML would show its entities and unescaped text could end the element."""

_TAG = re.compile(r"[a-z][a-z0-9-]*\Z")
# Attribute names the HTML tokenizer reads back as one name: no whitespace, quotes, '>',
# '/', '=' or control characters; lower case because the parser lowers them.
_ATTRIBUTE = re.compile(r"[a-z_:][a-z0-9_:.-]*\Z")
_FORBIDDEN_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


class NodeError(InputError):
    """A node that cannot be rendered: a bad tag, attribute, child or handler."""


@dataclass(frozen=True, slots=True)
class Typed:
    """A handler for text input: ``constructor(text)`` is the message sent.

    ``samples`` are the texts exploration and the static site try; when empty, the app's
    ``INPUT_SAMPLES`` (or :data:`DEFAULT_SAMPLES`) are used.

    >>> Typed(str.upper, ("a", "b")).messages(())
    (('a', 'A'), ('b', 'B'))
    """

    constructor: Callable[[str], Hashable]
    samples: tuple[str, ...] = ()

    def __repr__(self) -> str:
        name = getattr(self.constructor, "__qualname__", None) or repr(self.constructor)
        return f"Typed({name}, {self.samples!r})" if self.samples else f"Typed({name})"

    def messages(self, fallback: Sequence[str]) -> tuple[tuple[str, Hashable], ...]:
        """Each sample text with the message it sends."""
        texts = self.samples or tuple(fallback)
        return tuple((text, self.constructor(text)) for text in texts)


DEFAULT_SAMPLES = ("", "a", "Ada")
"""Texts typed into an input whose handler names no samples and whose app names none."""


@dataclass(frozen=True, slots=True)
class Text:
    """A text node. Its text is shown as is: rendering escapes it."""

    text: str


@dataclass(frozen=True, slots=True)
class Element:
    """An element: tag, plain attributes, handlers (``event -> message``) and children.

    Build elements with :func:`h`, which checks every part; the constructor trusts its
    arguments.
    """

    tag: str
    attrs: tuple[tuple[str, AttrValue], ...] = ()
    children: tuple[Node, ...] = ()
    on: tuple[tuple[str, Hashable], ...] = field(default=())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # In a notebook a view reads as indented markup, not as nested dataclasses.
        # (Through the package face: _html imports this module.)
        from fmlab.mvu import outline

        printer.text(outline(self))

    def attr(self, name: str) -> AttrValue | None:
        """The value of attribute ``name``, or ``None`` when absent."""
        for key, value in self.attrs:
            if key == name:
                return value
        return None


Node: TypeAlias = Element | Text
Child: TypeAlias = "Node | str | None"


def h(
    tag: str,
    attrs: Mapping[str, Any] | None = None,
    children: Iterable[Node | str | None] | Node | str | None = None,
) -> Element:
    """Build an element: ``h("button", {"on_click": Increment()}, ["+"])``.

    ``attrs`` maps attribute names to values; a name ``on_<event>`` makes a handler whose
    value is the message that event sends. ``children`` are nodes or strings (a single node
    or string is accepted too); ``None`` children and empty strings are skipped, because
    they render as nothing and the browser would have no node for them.

    >>> h("input", {"type": "checkbox", "checked": True, "disabled": False}).attrs
    (('type', 'checkbox'), ('checked', True))
    >>> h("p", None, "hello").children
    (Text(text='hello'),)
    """
    if not isinstance(tag, str) or not _TAG.match(tag):
        raise NodeError(f"tag {tag!r}: expected a lower-case HTML tag name such as 'div'")
    if tag in RAW_TEXT_ELEMENTS:
        raise NodeError(f"<{tag}>: views may not contain script or style elements")
    plain, on = _split_attributes(tag, attrs or {})
    kids = _children(tag, children)
    if tag in VOID_ELEMENTS and kids:
        raise NodeError(f"<{tag}> is a void element and cannot have children")
    return Element(tag, plain, kids, on)


def text(value: str) -> Text:
    """A text node (strings given to :func:`h` become these)."""
    return Text(_checked_text(value, "text"))


def _split_attributes(
    tag: str, attrs: Mapping[str, Any]
) -> tuple[tuple[tuple[str, AttrValue], ...], tuple[tuple[str, Hashable], ...]]:
    if not isinstance(attrs, Mapping):
        raise NodeError(f"<{tag}> attributes: expected a dict, got {type(attrs).__name__}")
    plain: list[tuple[str, AttrValue]] = []
    on: list[tuple[str, Hashable]] = []
    for name, value in attrs.items():
        if not isinstance(name, str):
            raise NodeError(f"<{tag}> attribute {name!r}: names are strings")
        if name.startswith("on_"):
            on.append((_event_name(tag, name), _handler(tag, name, value)))
            continue
        if name.startswith("on"):
            raise NodeError(
                f"<{tag}> attribute {name!r}: write handlers as on_<event> with a message, "
                "never as script"
            )
        if not _ATTRIBUTE.match(name):
            raise NodeError(f"<{tag}> attribute {name!r}: not a valid lower-case attribute name")
        if value is None or value is False:
            continue
        if isinstance(value, str):
            plain.append((name, _checked_text(value, f"<{tag}> attribute {name!r}")))
        elif isinstance(value, bool | int | float):
            plain.append((name, value))
        else:
            raise NodeError(
                f"<{tag}> attribute {name!r}: expected str, int, float or bool, "
                f"got {type(value).__name__}"
            )
    return tuple(plain), tuple(on)


def _event_name(tag: str, name: str) -> str:
    event = name[3:]
    if not event or not _TAG.match(event):
        raise NodeError(f"<{tag}> handler {name!r}: expected on_<event>, as in on_click")
    return event


TEXT_EVENTS = frozenset({"input", "change"})
"""Events that carry what the user typed: their handler may be a :class:`Typed` or a
constructor taking the text."""


def _handler(tag: str, name: str, value: Any) -> Hashable:
    event = name[3:]
    if isinstance(value, Typed):
        if event not in TEXT_EVENTS:
            raise NodeError(
                f"<{tag}> handler {name!r}: typed text comes with on_input or on_change"
            )
        return value
    if callable(value) and event in TEXT_EVENTS:
        # A message class (or function) given for an input event: called with the text.
        return Typed(value)
    if isinstance(value, type):
        raise NodeError(
            f"<{tag}> handler {name!r}: got the class {value.__name__}; "
            f"send an instance, as in {value.__name__}()"
        )
    try:
        hash(value)
    except TypeError:
        raise NodeError(
            f"<{tag}> handler {name!r}: the message must be hashable data "
            f"(a frozen dataclass, say), got {type(value).__name__}"
        ) from None
    if callable(value):
        raise NodeError(
            f"<{tag}> handler {name!r}: a message is data, not a function; "
            "for typed text use Typed(constructor)"
        )
    message: Hashable = value
    return message


def _children(
    tag: str, children: Iterable[Node | str | None] | Node | str | None
) -> tuple[Node, ...]:
    if children is None:
        return ()
    if isinstance(children, str | Element | Text):
        children = [children]
    if not isinstance(children, Iterable):
        raise NodeError(f"<{tag}> children: expected a list, got {type(children).__name__}")
    kids: list[Node] = []
    for index, child in enumerate(children):
        if child is None or child == "":
            continue
        if isinstance(child, str):
            kids.append(Text(_checked_text(child, f"<{tag}> child {index}")))
        elif isinstance(child, Element | Text):
            kids.append(child)
        else:
            hint = " (use str(...))" if isinstance(child, int | float) else ""
            raise NodeError(
                f"<{tag}> child {index}: expected a node or a string, "
                f"got {type(child).__name__} {child!r}{hint}"
            )
    return tuple(kids)


def _checked_text(value: str, where: str) -> str:
    found = _FORBIDDEN_CHARACTERS.search(value)
    if found:
        raise NodeError(f"{where}: character U+{ord(found.group()):04X} cannot be carried by HTML")
    return value


@dataclass(frozen=True, slots=True)
class Handler:
    """One message a user can send from a view: the element at ``path`` on ``event``.

    ``path`` is the list of child indices from the root. For typed input, ``typed`` is
    the text entered and ``message`` the message it makes.
    """

    path: tuple[int, ...]
    event: str
    message: Hashable
    typed: str | None = None

    def describe(self) -> str:
        """``click on /0/2`` or ``input 'Ada' on /1``."""
        where = "/" + "/".join(map(str, self.path))
        if self.typed is None:
            return f"{self.event} on {where}"
        return f"{self.event} {self.typed!r} on {where}"


def is_disabled(element: Element) -> bool:
    """A disabled control sends nothing (``disabled`` set, as the browser treats it)."""
    return element.attr("disabled") not in (None, False)


def walk(node: Node, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Node]]:
    """Every node with its path, in document order.

    >>> [path for path, _ in walk(h("ul", {}, [h("li", {}, ["a"]), h("li")]))]
    [(), (0,), (0, 0), (1,)]
    """
    yield path, node
    if isinstance(node, Element):
        for index, child in enumerate(node.children):
            yield from walk(child, (*path, index))


def handlers(node: Node, samples: Sequence[str] = DEFAULT_SAMPLES) -> list[Handler]:
    """The messages this view lets a user send, in document order.

    Handlers on disabled elements are left out; a :class:`Typed` handler contributes one
    message per sample text.
    """
    found: list[Handler] = []
    for path, each in walk(node):
        if not isinstance(each, Element) or not each.on or is_disabled(each):
            continue
        for event, message in each.on:
            if isinstance(message, Typed):
                found.extend(
                    Handler(path, event, made, typed) for typed, made in message.messages(samples)
                )
            else:
                found.append(Handler(path, event, message))
    return found


def node_at(node: Node, path: Sequence[int]) -> Node:
    """The node at ``path`` (child indices from ``node``)."""
    for index in path:
        if not isinstance(node, Element):
            raise IndexError(f"path {list(path)} goes below a text node")
        node = node.children[index]
    return node


def count_nodes(node: Node) -> int:
    """How many nodes the tree has.

    >>> count_nodes(h("p", {}, ["a", h("b", {}, ["c"])]))
    4
    """
    return sum(1 for _ in walk(node))


BROWSER_MAX_DEPTH = 511
"""The deepest tree a browser keeps as written when it is mounted in ``<body>``.

Chromium's parser stops nesting at 512 open elements (``<html>`` and ``<body>``
included) and attaches deeper elements beside their parent instead (measured in
``tests/mvu/test_parse_chromium.py``), so a deeper view could never hydrate.
"""

MAX_DEPTH = 200
"""The deepest view an app may return: well inside :data:`BROWSER_MAX_DEPTH`, and shallow
enough for the recursive walks here (comparing, diffing, rendering) on Python's stack."""


def depth(node: Node) -> int:
    """How many elements deep the tree is (a text alone is 0), without recursion.

    >>> depth(h("p", {}, ["a", h("b", {}, ["c"])])), depth(text("a"))
    (2, 0)
    """
    deepest = 0
    pending: list[tuple[Node, int]] = [(node, 1)]
    while pending:
        current, level = pending.pop()
        if isinstance(current, Element):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in current.children)
    return deepest


def is_node(value: object) -> bool:
    """Whether ``value`` is a node a view may return."""
    return isinstance(value, Element | Text)
