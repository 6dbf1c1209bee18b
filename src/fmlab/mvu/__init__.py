"""``fmlab.mvu``: the Elm architecture (model, view, update) in Python, verified.

An app is three plain functions: ``init() -> model``, ``update(model, msg) -> model``
(or ``(model, effects)``, effects as data) and ``view(model) -> node``, with nodes built
by :func:`h`. Because ``update`` and ``view`` are pure, the same app can be rendered on
the server (:func:`render_html`), hydrated (:func:`hydrate`), explored exhaustively
(:func:`explore`, :func:`check`), proved (:func:`prove_inductive`), replayed and stepped
through (:class:`Debugger`), and clicked through with no kernel (:func:`to_static_html`).

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Increment:
...     pass
>>> node = h("button", {"on_click": Increment()}, ["+"])
>>> render_html(node)
'<button>+</button>'
>>> hydrate(render_html(node), node).attached
True

Heavy parts load on first use: z3 for the proofs, ipywidgets for :func:`to_widgets`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fmlab.mvu._app import App, AppError, Transition, load_app
from fmlab.mvu._html import escape_attribute, escape_text, render_html
from fmlab.mvu._hydrate import (
    MISO_RULES,
    STRICT,
    Hydration,
    HydrationRules,
    Mismatch,
    hydrate,
)
from fmlab.mvu._nodes import (
    DEFAULT_SAMPLES,
    Element,
    Handler,
    Node,
    NodeError,
    Text,
    Typed,
    h,
    handlers,
    text,
    walk,
)
from fmlab.mvu._parse import ParsedHTML, Repair, parse_html

if TYPE_CHECKING:
    pass

_LAZY: dict[str, str] = {}

__all__ = [
    "DEFAULT_SAMPLES",
    "MISO_RULES",
    "STRICT",
    "App",
    "AppError",
    "Element",
    "Handler",
    "Hydration",
    "HydrationRules",
    "Mismatch",
    "Node",
    "NodeError",
    "ParsedHTML",
    "Repair",
    "Text",
    "Transition",
    "Typed",
    "escape_attribute",
    "escape_text",
    "h",
    "handlers",
    "hydrate",
    "load_app",
    "parse_html",
    "render_html",
    "text",
    "walk",
]


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'fmlab.mvu' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"fmlab.mvu.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
