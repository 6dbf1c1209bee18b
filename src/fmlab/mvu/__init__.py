"""``fmlab.mvu``: the Elm architecture (model, view, update) in Python, verified.

An app is three plain functions: ``init() -> model``, ``update(model, msg) -> model``
(or ``(model, effects)``, effects as data) and ``view(model) -> node``, with nodes built
by :func:`h`. Because ``update`` and ``view`` are pure, the same app can be rendered on
the server (:func:`render_html`), hydrated (:func:`hydrate`), explored exhaustively
(:func:`explore`, :func:`check`), proved (:func:`prove_inductive`), replayed and stepped
through (:class:`Debugger`), and clicked through with no kernel (:func:`to_static_html`).

API guide (what a chapter author uses; every name below is in ``__all__``)
--------------------------------------------------------------------------

Writing an app
    ``h(tag, attrs, children)`` builds an :class:`Element`; ``on_<event>`` attributes
    carry the message that event sends (``h("button", {"on_click": Increment()}, ["+"])``),
    ``False``/``None`` attributes and children are dropped, ``True`` is a boolean
    attribute (``{"disabled": count == 0}``: a disabled element offers no message).
    :class:`Typed` ``(constructor, samples)`` is an input's handler: ``constructor(text)``
    is the message, ``samples`` the texts exploration types. Models and messages are
    frozen dataclasses (anything hashable). Invariants are functions ``inv_<name>(model)``;
    ``valid(msg)`` or ``valid(model, msg)`` restricts the messages a proof considers;
    ``INPUT_SAMPLES`` and ``NAME`` are optional. :class:`App` gathers them:
    ``App.from_module(module)``, ``App.from_namespace(globals(), name=...)`` (a notebook)
    or :func:`load_app` ``(path)`` (a file; **it is imported, so its code runs**). Broken
    app code raises :class:`AppError` (an ``InputError``) naming the file and line.
    ``app.run(messages)`` gives the models after each message, ``app.render(model)`` the
    view, ``app.offered(model)`` the :class:`Handler` s the view offers.

Rendering
    :func:`render_html` (server; escaped, deterministic); in a notebook a view displays
    as indented markup with its handlers (:func:`outline`); :func:`to_widgets` ``(app)`` a
    :class:`LiveApp` of ipywidgets in a kernel, patched by diffing the virtual trees
    (``live.click("+")``, ``live.dispatch(msg)``, ``live.stats``; ``patch=False`` redraws
    everything); :func:`to_static_html` ``(app, max_states=200)`` a :class:`StaticHTML`
    block a reader clicks through on the published site with no kernel (every reachable
    view pre-rendered; a move beyond the bound says so). :func:`diff`, :func:`apply` and
    :func:`first_difference` compare two views (:data:`Patch` is one change).

Hydration
    :func:`hydrate` ``(server_html, view, rules=STRICT)`` gives a :class:`Hydration`:
    ``.attached`` or a :class:`Mismatch` (``.path``, ``.expected``, ``.found``, the
    parser's :class:`Repair` s; ``.explain()`` in words). :data:`MISO_RULES` compares
    only what Miso's own walk compares. :func:`parse_html` is the browser-like parser
    (checked against Chromium) behind it; :class:`ParsedHTML` lists its repairs.

Exploring and checking
    :func:`explore` ``(app, max_states=..., timeout=...)`` clicks every offered handler
    breadth-first (through :mod:`fmlab.mc`; :func:`as_model` is the app as an
    ``fmlab.mc`` model) and gives an :class:`Exploration` (``.models``, ``.complete``,
    ``.messages_to(model)``, ``.find(predicate)``, ``.draw()`` the state graph).
    :func:`check` gives a :class:`CheckReport` of :class:`Finding` s (``.status`` holds,
    violated or unknown; ``.reason``; a :class:`Counterexample` as a message sequence,
    replayed): one per invariant (with an inductive proof for int/bool models),
    :data:`VIEW_PROPERTY` (the view is a function of the model, rendered under
    :data:`MORNING_IN_UTC` and :data:`AFTERNOON_IN_SAO_PAULO`; :func:`moved` ``(env)``
    moves clock, zone, locale and seed for your own cells) and :data:`HYDRATION_PROPERTY`.
    ``report["inv_name"]`` is one finding; ``report.to_json()`` is the shape
    ``fmlab mvu check --json`` prints. To check a reader's version of one function (an
    exercise), check ``dataclasses.replace(app, update=their_update)`` (or ``view=``): a
    broken invariant comes back as ``report["inv_name"].messages``, not as a solution.

Proving
    :func:`prove_inductive` ``(app, "inv_name")`` answers with ``fmlab.core.result``:
    ``Proved``, ``Refuted`` with an :class:`InductionStep` (model, message, next model;
    replayed through ``update``) or ``Unknown`` with the reason (unsupported code, a
    model beyond ints and bools...). z3 loads on first use.

Time travel
    :class:`Debugger` ``(app, messages)`` records each :class:`Entry` (message, model,
    effects, broken invariants); ``.back()``, ``.forward()``, ``.goto(i)``,
    ``.jump_to_violation()``, ``Debugger.replay(app, counterexample.messages)``;
    ``.widget()`` (:func:`debugger_widget`) in a kernel, ``.to_static_html()``
    (:func:`static_debugger`) on the site.

Messages as data
    :func:`encode_message` / :func:`decode_messages` (the JSON of the command line:
    ``[{"type": "Toggle", "id": 3}]``).

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Increment:
...     pass
>>> node = h("button", {"on_click": Increment()}, ["+"])
>>> render_html(node)
'<button>+</button>'
>>> hydrate(render_html(node), node).attached
True

A whole round with an example app: check it, replay its counterexample, step back.

>>> from fmlab.mvu.examples import leaky_counter
>>> app = App.from_module(leaky_counter)
>>> report = check(app, max_states=50, prove=False)
>>> broken = next(f for f in report.findings if f.counterexample is not None)
>>> broken.name, broken.messages
('inv_not_negative', (Decrement(),))
>>> debugger = Debugger.replay(app, broken.messages)
>>> debugger.model, debugger.current.broken
(Model(count=-1), ('inv_not_negative',))
>>> debugger.back().model
Model(count=0)

A reader's ``update`` for an exercise, checked against the app's invariant:

>>> import dataclasses
>>> from fmlab.mvu.examples import counter
>>> def their_update(model, msg):  # Reset goes one below instead of to zero
...     if isinstance(msg, counter.Reset):
...         return counter.Model(model.count - 1)
...     return counter.update(model, msg)
>>> attempt = dataclasses.replace(App.from_module(counter), update=their_update)
>>> check(attempt, prove=False)["inv_in_range"].messages
(Reset(),)

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
from fmlab.mvu._diff import (
    Insert,
    Patch,
    Remove,
    Replace,
    SetAttrs,
    SetHandlers,
    SetText,
    apply,
    diff,
    first_difference,
)
from fmlab.mvu._environment import AFTERNOON_IN_SAO_PAULO, MORNING_IN_UTC, Environment, moved
from fmlab.mvu._explore import DEFAULT_MAX_STATES, Exploration, as_model, explore
from fmlab.mvu._html import escape_attribute, escape_text, outline, render_html
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
    from fmlab.mvu._widgets import LiveApp, Stats, WidgetTree, debugger_widget, to_widgets

# z3 loads with the proofs, not with the package.
# ipywidgets loads with the live renderer.
_LAZY: dict[str, str] = {
    "InductionStep": "_prove",
    "prove_inductive": "_prove",
    "LiveApp": "_widgets",
    "Stats": "_widgets",
    "WidgetTree": "_widgets",
    "debugger_widget": "_widgets",
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
    "Insert",
    "LiveApp",
    "Mismatch",
    "Node",
    "NodeError",
    "ParsedHTML",
    "Patch",
    "Remove",
    "Repair",
    "Replace",
    "SetAttrs",
    "SetHandlers",
    "SetText",
    "StaticHTML",
    "Stats",
    "Text",
    "Transition",
    "Typed",
    "WidgetTree",
    "apply",
    "as_model",
    "check",
    "debugger_widget",
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
    "outline",
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
