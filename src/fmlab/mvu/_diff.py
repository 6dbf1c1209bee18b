"""Diffing two virtual trees into patches, as Elm's and Miso's renderers do.

The diff pairs children by position (no keys): a changed text becomes a
:class:`SetText`, changed attributes or handlers a :class:`SetAttrs` or
:class:`SetHandlers`, a different tag or kind a :class:`Replace`, and extra or missing
children at the end :class:`Insert` and :class:`Remove`. Applying the patches to the old
tree gives the new one (:func:`apply`), which the tests check on random trees; the widget
renderer applies the same patches to live widgets instead of redrawing them all.

>>> from fmlab.mvu._nodes import h
>>> old = h("ul", {}, [h("li", {}, ["milk"]), h("li", {}, ["eggs"])])
>>> new = h("ul", {}, [h("li", {"class": "done"}, ["milk"])])
>>> for patch in diff(old, new):
...     print(patch)
attrs /0 -> class='done'
remove /1
>>> apply(old, diff(old, new)) == new
True
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from fmlab.mvu._nodes import AttrValue, Element, Node, Text


def _where(path: Sequence[int]) -> str:
    return "/" + "/".join(map(str, path))


@dataclass(frozen=True)
class Replace:
    """Put ``node`` where the node at ``path`` was."""

    path: tuple[int, ...]
    node: Node

    def __str__(self) -> str:
        return f"replace {_where(self.path)}"


@dataclass(frozen=True)
class SetText:
    """The text node at ``path`` now reads ``text``."""

    path: tuple[int, ...]
    text: str

    def __str__(self) -> str:
        return f"text {_where(self.path)} -> {self.text!r}"


@dataclass(frozen=True)
class SetAttrs:
    """The element at ``path`` now has exactly ``attrs``."""

    path: tuple[int, ...]
    attrs: tuple[tuple[str, AttrValue], ...]

    def __str__(self) -> str:
        shown = " ".join(f"{name}={value!r}" for name, value in self.attrs)
        return f"attrs {_where(self.path)} -> {shown or '(none)'}"


@dataclass(frozen=True)
class SetHandlers:
    """The element at ``path`` now sends these messages."""

    path: tuple[int, ...]
    on: tuple[tuple[str, Hashable], ...]

    def __str__(self) -> str:
        return f"handlers {_where(self.path)}"


@dataclass(frozen=True)
class Insert:
    """Append ``node`` as child number ``path[-1]`` of the element at ``path[:-1]``."""

    path: tuple[int, ...]
    node: Node

    def __str__(self) -> str:
        return f"insert {_where(self.path)}"


@dataclass(frozen=True)
class Remove:
    """Remove the child at ``path`` (the last one of its parent: removals come last first)."""

    path: tuple[int, ...]

    def __str__(self) -> str:
        return f"remove {_where(self.path)}"


Patch = Replace | SetText | SetAttrs | SetHandlers | Insert | Remove


def diff(old: Node, new: Node, path: tuple[int, ...] = ()) -> list[Patch]:
    """The patches that turn ``old`` into ``new``, parents before children."""
    patches: list[Patch] = []
    _diff(old, new, path, patches)
    return patches


def _diff(old: Node, new: Node, path: tuple[int, ...], out: list[Patch]) -> None:
    if old is new or old == new:
        return
    if isinstance(old, Text) or isinstance(new, Text):
        if isinstance(old, Text) and isinstance(new, Text):
            out.append(SetText(path, new.text))
        else:
            out.append(Replace(path, new))
        return
    if old.tag != new.tag:
        out.append(Replace(path, new))
        return
    if old.attrs != new.attrs:
        out.append(SetAttrs(path, new.attrs))
    if old.on != new.on:
        out.append(SetHandlers(path, new.on))
    common = min(len(old.children), len(new.children))
    for index in range(common):
        _diff(old.children[index], new.children[index], (*path, index), out)
    for index in range(common, len(new.children)):
        out.append(Insert((*path, index), new.children[index]))
    for index in range(len(old.children) - 1, common - 1, -1):
        out.append(Remove((*path, index)))


def apply(tree: Node, patches: Sequence[Patch]) -> Node:
    """``tree`` with ``patches`` applied (a pure function, for checking the diff)."""
    for patch in patches:
        tree = _apply(tree, patch.path, patch)
    return tree


def _apply(node: Node, path: tuple[int, ...], patch: Patch) -> Node:
    if isinstance(patch, Insert | Remove) and len(path) == 1:
        assert isinstance(node, Element)
        kids = list(node.children)
        if isinstance(patch, Insert):
            kids.insert(path[0], patch.node)
        else:
            del kids[path[0]]
        return Element(node.tag, node.attrs, tuple(kids), node.on)
    if not path:
        if isinstance(patch, Replace):
            return patch.node
        if isinstance(patch, SetText):
            return Text(patch.text)
        assert isinstance(node, Element)
        if isinstance(patch, SetAttrs):
            return Element(node.tag, patch.attrs, node.children, node.on)
        assert isinstance(patch, SetHandlers)
        return Element(node.tag, node.attrs, node.children, patch.on)
    assert isinstance(node, Element)
    kids = list(node.children)
    kids[path[0]] = _apply(kids[path[0]], path[1:], patch)
    return Element(node.tag, node.attrs, tuple(kids), node.on)


def first_difference(old: Node, new: Node) -> str | None:
    """Where two trees first differ, in words (``None`` when equal).

    >>> from fmlab.mvu._nodes import h
    >>> print(first_difference(h("p", {}, ["9:00"]), h("p", {}, ["9:01"])))
    at /0: text '9:00' became '9:01'
    """
    patches = diff(old, new)
    if not patches:
        return None
    patch = patches[0]
    before = _at(old, patch.path)
    where = _where(patch.path)
    if isinstance(patch, SetText):
        assert isinstance(before, Text)
        return f"at {where}: text {before.text!r} became {patch.text!r}"
    if isinstance(patch, SetAttrs):
        assert isinstance(before, Element)
        return f"at {where}: attributes {dict(before.attrs)!r} became {dict(patch.attrs)!r}"
    if isinstance(patch, SetHandlers):
        return f"at {where}: the handlers changed"
    if isinstance(patch, Insert):
        return f"at {where}: a node was added: {_short(patch.node)}"
    if isinstance(patch, Remove):
        return f"at {where}: {_short(before)} disappeared"
    return f"at {where}: {_short(before)} became {_short(patch.node)}"


def _at(node: Node | None, path: Sequence[int]) -> Node | None:
    for index in path:
        if not isinstance(node, Element) or index >= len(node.children):
            return None
        node = node.children[index]
    return node


def _short(node: Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, Text):
        return f"text {node.text!r}"
    return f"<{node.tag}>"
