"""Hydration: attach the client's first view to the server's HTML, or explain why not.

The server sends HTML rendered from the view; the client parses it (the browser does, with
its repairs: :mod:`fmlab.mvu._parse`), computes its own first view, and walks both trees
together. If they agree the client keeps the server's DOM and only attaches its handlers;
if not, Miso logs "Could not copy DOM into virtual DOM, falling back to diff", empties the
mount point and draws the view from scratch (dmjio/miso, ``ts/miso/hydrate.ts``). The
page flickers, and whatever the reader had typed or selected is lost.

:func:`hydrate` does the same walk and, on a mismatch, says where (the path in the view),
what the view expected, what the browser had built, and which parser repairs led there.
Two sets of rules are offered:

* :data:`STRICT` (the default): node kinds, tag names, attributes and exact text, every
  level, and no DOM node left over;
* :data:`MISO_RULES`: what ``walk`` in Miso's ``hydrate.ts`` compares, as read in its
  source: the mount node is the first that is neither text nor ``<script>``; element
  against text (never the tag name), text exactly after adjacent virtual texts are
  merged, and that a DOM node exists for each virtual child. Its recursion into
  an element child discards the child's answer, so only the root's own children can make
  it fall back; deeper differences are attached to silently. (Miso's deeper
  ``integrityCheck`` ran only when debug logging was on; dmjio/miso#1247 removed it from
  hydration in 2025.)

>>> from fmlab.mvu._nodes import h
>>> view = h("div", {}, [h("p", {}, ["Total: ", h("div", {}, ["3"])])])
>>> from fmlab.mvu._html import render_html
>>> result = hydrate(render_html(view), view)
>>> result.attached
False
>>> print(result.mismatch.explain())
at /0/1 (div > p > div): expected <div>, found nothing
  the browser's parser repaired the server HTML:
    1:16: <div> closed the open <p>
    1:28: </p> with no open <p> made an empty <p></p>

Miso's own walk looks into the ``<p>``, finds its second child missing, and attaches
anyway, because the answer from below the root's children is dropped:

>>> hydrate(render_html(view), view, rules=MISO_RULES).attached
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from fmlab.mvu._html import attribute_text
from fmlab.mvu._nodes import Element, Node, Text
from fmlab.mvu._parse import ParsedHTML, Repair, parse_html, render_tree
from fmlab.mvu._text import LINE_WIDTH, fold, fold_markup

_PREAMBLE = frozenset({"script", "style", "meta", "link", "title", "base", "noscript"})
"""Elements skipped in front of the mount node (Miso skips scripts and text there)."""


@dataclass(frozen=True)
class HydrationRules:
    """What the hydration walk compares."""

    compare_tags: bool = True
    """Element against element of another tag is a mismatch (Miso's walk does not look)."""
    compare_attributes: bool = True
    """Attributes must agree (a stale attribute would otherwise stay until it changes)."""
    trim_text: bool = False
    """Compare text with leading and trailing whitespace removed on both sides."""
    every_level: bool = True
    """A mismatch at any depth falls back (Miso's walk only acts on the root's children)."""
    extra_dom_nodes: bool = True
    """A DOM node the view does not have is a mismatch (Miso ignores extra nodes)."""
    miso_mount: bool = False
    """Find the mount node as Miso's ``preamble`` does: skip every text node and every
    ``<script>`` in front of it (nothing else), draw into a new empty ``<div>`` when
    nothing is left, and do not compare the root itself (a text view attaches to
    anything). Otherwise whitespace and head-like elements are skipped, a missing mount
    node is a mismatch, and the root is compared like any node."""
    name: str = "strict"


STRICT = HydrationRules()
MISO_RULES = HydrationRules(
    compare_tags=False,
    compare_attributes=False,
    # Exact, not trimmed: Miso's walk accepts a text child only when the virtual text is
    # identical (===) to the DOM text's textContent (dmjio/miso ts/miso/hydrate.ts, walk(),
    # read at commits 0460d37 and 5578163). tests/mvu/test_hydrate.py pins a whitespace-only
    # difference.
    trim_text=False,
    every_level=False,
    extra_dom_nodes=False,
    miso_mount=True,
    name="miso",
)


@dataclass(frozen=True)
class Mismatch:
    """The first place where the view and the browser's tree disagree."""

    path: tuple[int, ...]
    """Child indices from the view's root to the node that did not match."""
    where: str
    """The same place as tag names (``div > p > div``)."""
    expected: str
    found: str
    repairs: tuple[Repair, ...]
    """What the browser's parser changed in the server HTML (empty: none)."""

    def explain(self, width: int | None = LINE_WIDTH) -> str:
        """The mismatch in a few lines of at most ``width`` characters (``None``: one line
        per item, for JSON and for callers that fold it themselves), with the parser's
        repairs that explain it."""
        slashed = "/" + "/".join(map(str, self.path))
        lines = [f"at {slashed} ({self.where}): expected {self.expected}, found {self.found}"]
        if self.repairs:
            lines.append("  the browser's parser repaired the server HTML:")
            lines.extend(f"    {repair}" for repair in self.repairs[:5])
            if len(self.repairs) > 5:
                lines.append(f"    ... and {len(self.repairs) - 5} more")
        else:
            lines.append(
                "  the server HTML parsed as written, so the view itself differed "
                "(does it read the clock, the locale or random numbers?)"
            )
        text = "\n".join(lines)
        return text if width is None else fold(text, width)

    def to_json(self) -> dict[str, object]:
        return {
            "path": list(self.path),
            "where": self.where,
            "expected": self.expected,
            "found": self.found,
            "repairs": [str(repair) for repair in self.repairs],
        }


FALLBACK = (
    "fell back: the mount point is emptied and the view drawn from scratch "
    "(Miso: 'Could not copy DOM into virtual DOM, falling back to diff')"
)


@dataclass(frozen=True)
class Hydration:
    """What hydrating the server HTML with the client's first view did."""

    attached: bool
    mismatch: Mismatch | None
    parsed: ParsedHTML
    rules: HydrationRules

    @property
    def fell_back(self) -> bool:
        return not self.attached

    @property
    def outcome(self) -> str:
        """``attached`` or the fallback, in words."""
        return "attached to the server's DOM" if self.attached else FALLBACK

    def explain(self, width: int = LINE_WIDTH) -> str:
        """What hydration did, in lines of at most ``width`` characters; on a fallback, the
        mismatch and the start of the tree the browser built (the whole tree is
        ``render_tree(self.parsed.nodes)``)."""
        head = fold(f"hydration ({self.rules.name} rules): {self.outcome}", width)
        if self.mismatch is None:
            return head
        built = fold_markup(_clip(render_tree(self.parsed.nodes), 160), "    ", width)
        return "\n".join([head, self.mismatch.explain(width), "  the browser built:", *built])

    def __repr__(self) -> str:
        if self.mismatch is None:
            return f"<Hydration attached ({self.rules.name} rules)>"
        return f"<Hydration fell back at /{'/'.join(map(str, self.mismatch.path))}>"


def hydrate(server_html: str, view: Node, *, rules: HydrationRules = STRICT) -> Hydration:
    """Walk the browser's tree of ``server_html`` against the client's first ``view``."""
    parsed = parse_html(server_html)
    dom = _miso_mount_node(parsed.nodes) if rules.miso_mount else _mount_node(parsed.nodes)
    mismatch = _compare_root(view, dom, rules)
    if mismatch is not None:
        mismatch = Mismatch(
            mismatch.path, mismatch.where, mismatch.expected, mismatch.found, parsed.repairs
        )
    return Hydration(mismatch is None, mismatch, parsed, rules)


def _mount_node(nodes: Sequence[Node]) -> Node | None:
    """The first node that is not whitespace, a script or a head element."""
    for node in nodes:
        if isinstance(node, Text):
            if node.text.strip():
                return node
            continue
        if node.tag not in _PREAMBLE:
            return node
    return None


def _miso_mount_node(nodes: Sequence[Node]) -> Node:
    """Miso's ``preamble``: the first node that is neither text nor ``<script>``."""
    for node in nodes:
        if isinstance(node, Element) and node.tag != "script":
            return node
    return Element("div")


class _MismatchFoundError(Exception):
    """Carries the first mismatch out of the recursive walk."""

    def __init__(self, mismatch: Mismatch) -> None:
        super().__init__(mismatch.expected)
        self.mismatch = mismatch


def _compare_root(view: Node, dom: Node | None, rules: HydrationRules) -> Mismatch | None:
    trail = (_name(view),)
    if dom is None:
        return _mismatch((), trail, _describe(view), "nothing")
    if rules.miso_mount and isinstance(view, Text):
        return None  # Miso's walk takes any node for a text root without looking.
    try:
        _compare(view, dom, (), trail, rules, depth=0)
    except _MismatchFoundError as found:
        return found.mismatch
    return None


def _compare(
    view: Node,
    dom: Node,
    path: tuple[int, ...],
    trail: tuple[str, ...],
    rules: HydrationRules,
    depth: int,
) -> None:
    """Raise :class:`_MismatchFoundError` at the first difference that ``rules`` make a mismatch."""
    if isinstance(view, Text) or isinstance(dom, Text):
        if isinstance(view, Text) and isinstance(dom, Text):
            if not _same_text(view.text, dom.text, rules):
                raise _MismatchFoundError(_mismatch(path, trail, _describe(view), _describe(dom)))
            return
        raise _MismatchFoundError(_mismatch(path, trail, _describe(view), _describe(dom)))
    assert isinstance(dom, Element)
    if rules.compare_tags and view.tag != dom.tag:
        raise _MismatchFoundError(_mismatch(path, trail, _describe(view), _describe(dom)))
    if rules.compare_attributes:
        _compare_attributes(view, dom, path, trail)
    children = _merge_texts(view.children)
    for index, child in enumerate(children):
        child_path, child_trail = (*path, index), (*trail, _name(child))
        if index >= len(dom.children):
            raise _MismatchFoundError(
                _mismatch(child_path, child_trail, _describe(child), "nothing")
            )
        dom_child = dom.children[index]
        if isinstance(child, Element) and isinstance(dom_child, Element):
            if rules.every_level:
                _compare(child, dom_child, child_path, child_trail, rules, depth + 1)
            else:
                # Miso recurses but drops the answer: look, and attach regardless.
                with contextlib.suppress(_MismatchFoundError):
                    _compare(child, dom_child, child_path, child_trail, rules, depth + 1)
        else:
            _compare(child, dom_child, child_path, child_trail, rules, depth + 1)
    if rules.extra_dom_nodes and len(dom.children) > len(children):
        extra = dom.children[len(children)]
        raise _MismatchFoundError(
            _mismatch(
                (*path, len(children)),
                (*trail, _name(extra)),
                "nothing",
                _describe(extra),
            )
        )


def _compare_attributes(
    view: Element, dom: Element, path: tuple[int, ...], trail: tuple[str, ...]
) -> None:
    wanted = {name: attribute_text(value) for name, value in view.attrs}
    built = {name: attribute_text(value) for name, value in dom.attrs}
    for name in sorted(wanted.keys() | built.keys()):
        if wanted.get(name) != built.get(name):
            expected = "absent" if name not in wanted else repr(wanted[name])
            found = "absent" if name not in built else repr(built[name])
            raise _MismatchFoundError(
                _mismatch(
                    path,
                    trail,
                    f"<{view.tag}> with {name}={expected}",
                    f"<{dom.tag}> with {name}={found}",
                )
            )


def _same_text(wanted: str, built: str, rules: HydrationRules) -> bool:
    if rules.trim_text:
        return wanted.strip() == built.strip()
    return wanted == built


def _merge_texts(children: Sequence[Node]) -> list[Node]:
    """Adjacent virtual texts become one, as the parser makes one DOM text of them."""
    merged: list[Node] = []
    for child in children:
        if isinstance(child, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + child.text)
        else:
            merged.append(child)
    return merged


def _mismatch(path: tuple[int, ...], trail: Sequence[str], expected: str, found: str) -> Mismatch:
    return Mismatch(path, " > ".join(trail), expected, found, ())


def _name(node: Node) -> str:
    return node.tag if isinstance(node, Element) else "#text"


def _describe(node: Node) -> str:
    if isinstance(node, Text):
        return f"text {_clip(node.text, 40)!r}"
    return f"<{node.tag}>"


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."
