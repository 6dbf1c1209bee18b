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
from fmlab.mvu._check import (
    HYDRATION_PROPERTY,
    VIEW_PROPERTY,
    CheckReport,
    Counterexample,
    Finding,
    check,
)
from fmlab.mvu._debugger import Debugger, Entry
from fmlab.mvu._diff import Patch, apply, diff, first_difference
from fmlab.mvu._environment import AFTERNOON_IN_SAO_PAULO, MORNING_IN_UTC, Environment, moved
from fmlab.mvu._explore import DEFAULT_MAX_STATES, Exploration, as_model, explore
from fmlab.mvu._html import escape_attribute, escape_text, render_html
from fmlab.mvu._hydrate import (
    MISO_RULES,
    STRICT,
    Hydration,
    HydrationRules,
    Mismatch,
    hydrate,
)
from fmlab.mvu._messages import decode_messages, encode_message
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
from fmlab.mvu._static import StaticHTML, static_debugger, to_static_html

if TYPE_CHECKING:
    from fmlab.mvu._prove import InductionStep, prove_inductive
    from fmlab.mvu._widgets import LiveApp, WidgetTree, to_widgets

# z3 loads with the proofs, not with the package.
# ipywidgets loads with the live renderer.
_LAZY: dict[str, str] = {
    "InductionStep": "_prove",
    "prove_inductive": "_prove",
    "LiveApp": "_widgets",
    "WidgetTree": "_widgets",
    "to_widgets": "_widgets",
}

__all__ = [
    "AFTERNOON_IN_SAO_PAULO",
    "DEFAULT_MAX_STATES",
    "DEFAULT_SAMPLES",
    "HYDRATION_PROPERTY",
    "MISO_RULES",
    "MORNING_IN_UTC",
    "STRICT",
    "VIEW_PROPERTY",
    "App",
    "AppError",
    "CheckReport",
    "Counterexample",
    "Debugger",
    "Element",
    "Entry",
    "Environment",
    "Exploration",
    "Finding",
    "Handler",
    "Hydration",
    "HydrationRules",
    "InductionStep",
    "LiveApp",
    "Mismatch",
    "Node",
    "NodeError",
    "ParsedHTML",
    "Patch",
    "Repair",
    "StaticHTML",
    "Text",
    "Transition",
    "Typed",
    "WidgetTree",
    "apply",
    "as_model",
    "check",
    "decode_messages",
    "diff",
    "encode_message",
    "escape_attribute",
    "escape_text",
    "explore",
    "first_difference",
    "h",
    "handlers",
    "hydrate",
    "load_app",
    "moved",
    "parse_html",
    "prove_inductive",
    "render_html",
    "static_debugger",
    "text",
    "to_static_html",
    "to_widgets",
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
