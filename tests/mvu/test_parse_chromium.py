"""The browser-like parser against Chromium's own parser, on random markup.

Runs with the browser tests (``make browser``): Debian's /usr/bin/chromium through
Playwright. Markup is generated from a fixed seed, in any nesting, including elements
that the table rules move out of tables; Chromium parses all of it in one page with
``DOMParser`` and every tree must equal what :func:`fmlab.mvu.parse_html` builds.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from fmlab.mvu import Element, Node, h, parse_html, render_html
from fmlab.mvu.examples import BROKEN, WORKING
from tests.mvu.chromium import in_chromium
from tests.mvu.test_parse import TAGS

pytestmark = pytest.mark.browser


def _random_markup(rnd: random.Random, depth: int) -> Node | str:
    if depth == 0 or rnd.random() < 0.3:
        return rnd.choice(["x", " ", "y z"])
    children = [_random_markup(rnd, depth - 1) for _ in range(rnd.randint(0, 3))]
    return h(rnd.choice(TAGS), {}, children)


def _corpus() -> list[str]:
    rnd = random.Random(20261207)
    sources = [
        render_html(h("div", {}, [_random_markup(rnd, 4) for _ in range(rnd.randint(1, 3))]))
        for _ in range(600)
    ]
    from fmlab.mvu import load_app
    from fmlab.mvu.examples import path

    for name in WORKING + BROKEN:
        app = load_app(path(name))
        sources.append(render_html(app.render(app.init_model())))
    return sources


def _ours(source: str) -> str:
    return "".join(render_html(_strings(node)) for node in parse_html(source).nodes)


def _strings(node: Node) -> Node:
    if not isinstance(node, Element):
        return node
    attrs = tuple((k, "" if v is True else v) for k, v in node.attrs)
    return Element(node.tag, attrs, tuple(_strings(child) for child in node.children))


def test_the_subset_builds_what_chromium_builds() -> None:
    sources = _corpus()

    def parse_all(browser: Any) -> list[str]:
        built: list[str] = browser.new_page().evaluate(
            """(sources) => sources.map((source) => new DOMParser().parseFromString(
                '<!DOCTYPE html><html><head></head><body>' + source, 'text/html'
            ).body.innerHTML)""",
            sources,
        )
        return built

    built = in_chromium(parse_all)
    differing = [(s, c, _ours(s)) for s, c in zip(sources, built, strict=True) if c != _ours(s)]
    assert not differing, differing[:3]
    # The corpus exercises the repairs, not only markup that parses as written.
    assert sum(parse_html(source).repaired for source in sources) > 300


def test_chromium_nests_at_most_browser_max_depth_elements_in_body() -> None:
    from fmlab.mvu._nodes import BROWSER_MAX_DEPTH

    def depths(browser: Any) -> list[int]:
        found: list[int] = browser.new_page().evaluate(
            """(counts) => counts.map((n) => {
                const body = new DOMParser().parseFromString('<!DOCTYPE html><body>'
                  + '<div>'.repeat(n) + 'x' + '</div>'.repeat(n), 'text/html').body;
                let node = body, depth = 0;
                while (node.firstElementChild) { node = node.firstElementChild; depth++; }
                return depth;
            })""",
            [BROWSER_MAX_DEPTH, BROWSER_MAX_DEPTH + 1, BROWSER_MAX_DEPTH + 50],
        )
        return found

    assert in_chromium(depths) == [BROWSER_MAX_DEPTH] * 3
