"""One visit per page and width, shared by every check that only reads the page.

Loading a page and waiting for its widgets and maths is most of what a browser check
costs (about two seconds a page here), and three checks ask the same page at the same
width: its weight, axe-core's accessibility verdict and whether it reads whole. Each
check module registers what it measures; the first test that asks for a page loads it
once, runs every registered measure in order and keeps the answers, and the others read
them. Each check stays its own test with its own verdict.

Measures run in ``order``: the ones that look at the page as served come first, the ones
that change it (showing every gallery tab at once) last. A measure that raises is kept
as that error and raised again in the test that reads it, so one broken measure fails
its own test, not its neighbours'.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Measure = Callable[[Any], Any]
"""Reads (or, late in the order, rearranges) an open Playwright page; returns its finding."""

WIDGET_STATE = 'script[type="application/vnd.jupyter.widget-state+json"]'

_MEASURES: dict[str, tuple[int, Measure]] = {}
_VISITS: dict[tuple[str, int], Visit] = {}


@dataclass(frozen=True)
class Visit:
    """What one load of ``path`` at ``width`` px showed."""

    path: str
    width: int
    fetched: dict[str, int]
    """Bytes fetched from the site by URL path, until the page had settled."""
    widgets: bool
    """Whether the page carries widget state (its weight limit is higher)."""
    _found: dict[str, Any] = field(repr=False)

    def __getitem__(self, name: str) -> Any:
        finding = self._found[name]
        if isinstance(finding, BaseException):
            raise finding
        return finding


def register(name: str, measure: Measure, *, order: int) -> None:
    """Run ``measure`` on every visited page; ``visit(...)[name]`` is its finding."""
    _MEASURES[name] = (order, measure)


def visit(open_page: Callable[[int], Any], origin: str, path: str, width: int) -> Visit:
    """The page ``path`` at ``width`` px, loaded once per test session."""
    key = (path, width)
    if key not in _VISITS:
        _VISITS[key] = _load(open_page(width), origin, path, width)
    return _VISITS[key]


def settle(page: Any) -> None:
    """Wait until the network is idle and widgets and maths have been drawn."""
    page.wait_for_load_state("networkidle")
    if page.locator(WIDGET_STATE).count():
        page.wait_for_selector(".jupyter-widgets", timeout=20_000)
    if page.locator(".math").count():
        page.wait_for_selector("mjx-container", timeout=20_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def _load(page: Any, origin: str, path: str, width: int) -> Visit:
    fetched: dict[str, int] = {}

    def on_response(response: Any) -> None:
        if response.url.startswith(origin) and response.status == 200:
            # A response whose body is gone (a redirect, an abort) weighs nothing here.
            with contextlib.suppress(Exception):
                fetched[response.url.removeprefix(origin)] = len(response.body())

    page.on("response", on_response)
    page.goto(f"{origin}/{path}", wait_until="load")
    settle(page)
    widgets = page.locator(WIDGET_STATE).count() > 0
    page.remove_listener("response", on_response)
    found: dict[str, Any] = {}
    for name, (_, measure) in sorted(_MEASURES.items(), key=lambda item: item[1][0]):
        try:
            found[name] = measure(page)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # kept for the test that reads it (pytest.fail too)
            found[name] = error
    page.close()
    return Visit(path, width, dict(fetched), widgets, found)
