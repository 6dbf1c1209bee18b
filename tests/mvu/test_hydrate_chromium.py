"""Hydration verdicts against walks over Chromium's own DOM of the server HTML.

:func:`fmlab.mvu.hydrate` parses the server HTML with our browser-like parser and walks
the result. Here the same server HTML is parsed by Chromium (``DOMParser``), and two walks
written in JavaScript for this test, sharing no code with the library, compare the
client's view (sent as JSON) with Chromium's DOM:

* the strict walk: kind, tag, attributes, exact text at every level, no DOM node left
  over, the first mismatch reported as a path of child indices;
* Miso's walk, following ``walk`` and ``preamble`` in dmjio/miso ``ts/miso/hydrate.ts``:
  skip text and ``<script>`` in front of the mount node (an empty ``<div>`` when nothing
  is left), merge adjacent virtual texts, and fall back only when one of the root's own
  children has no DOM node, has the wrong kind, or is a text that differs (the answer
  of a deeper walk is dropped).

The corpus: random views rendered on the server and hydrated with the same view or with
a view changed in one place (a text, a tag, an attribute, a child added or removed),
nesting the parser repairs, what may stand in front of the mount node (text, scripts,
styles, another element, nothing), views that are a bare text, and the example apps
under two clocks.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from fmlab.mvu import (
    AFTERNOON_IN_SAO_PAULO,
    MISO_RULES,
    MORNING_IN_UTC,
    STRICT,
    Element,
    Node,
    Text,
    h,
    hydrate,
    load_app,
    moved,
    render_html,
)
from fmlab.mvu.examples import BROKEN, WORKING, path
from tests.mvu.chromium import in_chromium
from tests.mvu.test_parse import TAGS

pytestmark = pytest.mark.browser

_TEXTS = ["x", " ", "y z", "a & b", "</p>", "  padded  ", "\n"]
_ATTRIBUTES = [{}, {}, {"class": "c"}, {"title": "t"}, {"id": "i", "class": "d"}]

_PREFIXES = [
    "",
    "\n  ",
    "hello ",
    "<script>var a = '</div>';</script>",
    "<style>p { color: red }</style>",
    "<meta charset=utf-8>",
    "<noscript>no</noscript>",
    "<script></script>text<script></script>",
    "<p>stale</p>",
]

_WALKS = """
(pairs) => {
  // Virtual nodes: {text: "..."} or {tag, attrs: {name: value}, children: [...]}.
  const merged = (children) => {
    const out = [];
    for (const child of children) {
      const last = out[out.length - 1];
      if ('text' in child && last && 'text' in last) {
        out[out.length - 1] = {text: last.text + child.text};
      } else {
        out.push(child);
      }
    }
    return out;
  };
  const preambleTags = new Set(['script', 'style', 'meta', 'link', 'title', 'base',
                                'noscript']);
  const strictMount = (body) => {
    for (const node of body.childNodes) {
      if (node.nodeType === 3) { if (node.data.trim() !== '') return node; continue; }
      if (node.nodeType === 1 && !preambleTags.has(node.localName)) return node;
    }
    return null;
  };
  const strict = (view, dom, path) => {
    if ('text' in view) {
      return dom.nodeType === 3 && dom.data === view.text ? null : path;
    }
    if (dom.nodeType !== 1 || dom.localName !== view.tag) return path;
    const names = new Set([...Object.keys(view.attrs),
                           ...Array.from(dom.attributes, (a) => a.name)]);
    for (const name of names) {
      if (view.attrs[name] !== (dom.hasAttribute(name) ? dom.getAttribute(name) : undefined)) {
        return path;
      }
    }
    const children = merged(view.children);
    const domChildren = dom.localName === 'template' ? dom.content.childNodes : dom.childNodes;
    for (let i = 0; i < children.length; i++) {
      if (i >= domChildren.length) return [...path, i];
      const found = strict(children[i], domChildren[i], [...path, i]);
      if (found) return found;
    }
    return domChildren.length > children.length ? [...path, children.length] : null;
  };
  const misoMount = (body) => {
    let i = 0;
    const nodes = body.childNodes;
    while (nodes[i] && (nodes[i].nodeType === 3 || nodes[i].localName === 'script')) i++;
    return nodes[i] || document.createElement('div');
  };
  const miso = (view, dom) => {
    if ('text' in view) return true;
    const children = merged(view.children);
    for (let i = 0; i < children.length; i++) {
      const domChild = dom.childNodes[i];
      if (!domChild) return false;
      if ('text' in children[i]) {
        if (domChild.nodeType !== 3 || domChild.textContent !== children[i].text) return false;
      } else {
        if (domChild.nodeType !== 1) return false;
        miso(children[i], domChild);  // Miso drops this answer.
      }
    }
    return true;
  };
  return pairs.map(([server, view]) => {
    const body = new DOMParser().parseFromString(
      '<!DOCTYPE html><html><head></head><body>' + server, 'text/html').body;
    const mount = strictMount(body);
    const strictPath = mount === null ? [] : strict(view, mount, []);
    return {strict: strictPath, miso: miso(view, misoMount(body))};
  });
}
"""


def _as_json(node: Node) -> dict[str, Any]:
    if isinstance(node, Text):
        return {"text": node.text}
    attrs = {name: "" if value is True else str(value) for name, value in node.attrs}
    return {"tag": node.tag, "attrs": attrs, "children": [_as_json(c) for c in node.children]}


def _random_tree(rnd: random.Random, depth: int) -> Node | str:
    if depth == 0 or rnd.random() < 0.3:
        return rnd.choice(_TEXTS)
    children = [_random_tree(rnd, depth - 1) for _ in range(rnd.randint(0, 3))]
    return h(rnd.choice(TAGS), rnd.choice(_ATTRIBUTES), children)


_FLOW = {"div": ["div", "p", "ul", "section"], "section": ["div", "p"], "p": ["span", "b"]}
_FLOW |= {"ul": ["li"], "li": ["span", "p"], "span": ["b"], "b": []}


def _valid_tree(rnd: random.Random, tag: str, depth: int) -> Node:
    """Nesting the parser keeps as written (text goes anywhere but inside ``<ul>``)."""
    children: list[Node | str] = []
    for _ in range(rnd.randint(0, 3)):
        if tag != "ul" and (depth == 0 or not _FLOW[tag] or rnd.random() < 0.3):
            children.append(rnd.choice(_TEXTS[:-1]))
        elif _FLOW[tag] and depth > 0:
            children.append(_valid_tree(rnd, rnd.choice(_FLOW[tag]), depth - 1))
    return h(tag, rnd.choice(_ATTRIBUTES), children)


def _paths(node: Node, here: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    found = [here]
    if isinstance(node, Element):
        for index, child in enumerate(node.children):
            found.extend(_paths(child, (*here, index)))
    return found


def _mutated(node: Node, where: tuple[int, ...], rnd: random.Random) -> Node:
    """``node`` with the node at ``where`` changed in one random way."""
    if where:
        assert isinstance(node, Element)
        children = list(node.children)
        children[where[0]] = _mutated(children[where[0]], where[1:], rnd)
        return dataclasses.replace(node, children=tuple(children))
    if isinstance(node, Text):
        return Text(node.text + rnd.choice(["!", " ", "x"]))
    change = rnd.choice(["tag", "attribute", "append", "drop"])
    if change == "tag":
        return dataclasses.replace(node, tag=rnd.choice([t for t in TAGS if t != node.tag]))
    if change == "attribute":
        return dataclasses.replace(node, attrs=(*node.attrs, ("data-late", "1")))
    if change == "append" or not node.children:
        return dataclasses.replace(node, children=(*node.children, h("span", {}, ["new"])))
    return dataclasses.replace(node, children=node.children[:-1])


def _corpus() -> list[tuple[str, Node]]:
    rnd = random.Random(20261207)
    pairs: list[tuple[str, Node]] = []
    for number in range(1000):
        server: Node
        if number % 3 == 0:
            server = h("div", rnd.choice(_ATTRIBUTES), [_random_tree(rnd, 4) for _ in range(3)])
        else:
            server = _valid_tree(rnd, "div", 4)
        client: Node = server
        if rnd.random() < 0.6:
            client = _mutated(server, rnd.choice(_paths(server)), rnd)
        pairs.append((render_html(server), client))
    # What can stand in front of the mount node, and views that are a bare text.
    for number in range(200):
        server_html, client = pairs[number]
        pairs.append((rnd.choice(_PREFIXES) + server_html, client))
    for prefix in _PREFIXES:
        pairs.append((prefix, h("div", {}, [])))
        pairs.append((prefix, h("div", {}, ["x"])))
        pairs.append((prefix + "<p>x</p>", Text("x")))
    for name in WORKING + BROKEN:
        app = load_app(path(name))
        with moved(MORNING_IN_UTC):
            server_view = app.render(app.init_model())
        with moved(AFTERNOON_IN_SAO_PAULO):
            client_view = app.render(app.init_model())
        pairs.append((render_html(server_view), client_view))
    return pairs


def test_hydration_agrees_with_walks_over_chromiums_dom() -> None:
    pairs = _corpus()
    sent = [(server, _as_json(view)) for server, view in pairs]

    def walk_all(browser: Any) -> list[dict[str, Any]]:
        verdicts: list[dict[str, Any]] = browser.new_page().evaluate(_WALKS, sent)
        return verdicts

    verdicts = in_chromium(walk_all)
    disagreements = []
    for (server, view), verdict in zip(pairs, verdicts, strict=True):
        ours = hydrate(server, view, rules=STRICT)
        ours_path = None if ours.mismatch is None else list(ours.mismatch.path)
        ours_miso = hydrate(server, view, rules=MISO_RULES).attached
        if ours_path != verdict["strict"] or ours_miso != verdict["miso"]:
            disagreements.append((server, view, ours_path, verdict))
    assert not disagreements, disagreements[:3]
    # The corpus is not one-sided: both rule sets attach and fall back, and they differ.
    strict_fell = sum(v["strict"] is not None for v in verdicts)
    miso_fell = sum(not v["miso"] for v in verdicts)
    assert 150 < strict_fell < len(pairs) - 150
    assert 20 < miso_fell < strict_fell
