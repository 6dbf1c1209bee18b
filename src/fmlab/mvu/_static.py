"""Apps a reader can click through on a static page: pre-computed states, no kernel.

:func:`to_static_html` explores the app (through :mod:`fmlab.mc`, up to ``max_states``
models), renders the view of every model it found, and writes one self-contained block of
HTML: the first view, the models' views and the moves between them as JSON, and a small
inline script that swaps in the next view when the reader clicks a button or types one
of an input's sample texts. Nothing is fetched from anywhere. A move to a model beyond
the bound says so instead of showing something wrong. The reader can step back through
the messages sent so far, which is time travel on the page.

:func:`static_debugger` does the same for a recorded :class:`~fmlab.mvu.Debugger`
session: every step pre-rendered, with buttons to step, a slider and "jump to violation".

The JSON is escaped so that no text in it can end the ``<script>`` element, and the
views are :func:`~fmlab.mvu.render_html`'s escaped HTML.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import counter
>>> page = to_static_html(App.from_module(counter))
>>> page.states, page.complete
(6, True)
>>> "<script" in page.html and "http" not in page.html
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fmlab.mvu._app import App
from fmlab.mvu._html import escape_attribute, escape_text, render_html
from fmlab.mvu._nodes import Element, Node, Typed, is_disabled, walk

if TYPE_CHECKING:
    from fmlab.mvu._debugger import Debugger

DEFAULT_MAX_BYTES = 3_000_000
"""A page over this size is refused: lower ``max_states`` instead."""


@dataclass(frozen=True)
class StaticHTML:
    """A self-contained block of HTML (shown as HTML in a notebook)."""

    html: str
    states: int
    """Pre-rendered views: an app's models, or a recorded session's steps."""
    complete: bool
    """Everything is on the page: every reachable model, or every step of the session."""
    session: bool = False
    """The steps of a recorded session (:func:`static_debugger`), not an app's models: a
    model can occur at several steps, and the models the session never reached are absent."""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        size = f"{len(self.html):,} bytes"
        if self.session:
            return f"<static page: {self.states} steps of a recorded session, {size}>"
        bound = "every reachable model" if self.complete else "bounded"
        return f"<static page: {self.states} models ({bound}), {size}>"


def _handler_numbers(node: Node) -> dict[tuple[int, ...], int]:
    """The elements whose handlers a reader can use, numbered in document order."""
    numbers: dict[tuple[int, ...], int] = {}
    for path, each in walk(node):
        if isinstance(each, Element) and each.on and not is_disabled(each):
            numbers[path] = len(numbers)
    return numbers


def _marked_html(node: Node, uid: str, samples: tuple[str, ...]) -> str:
    numbers = _handler_numbers(node)
    datalists: list[str] = []

    def marker(path: tuple[int, ...], element: Element) -> dict[str, str]:
        number = numbers.get(path)
        if number is None:
            return {}
        marks = {"data-fm-h": str(number)}
        typed = [m for _, m in element.on if isinstance(m, Typed)]
        if typed and element.tag == "input":
            marks["list"] = f"{uid}-list{number}"
            options = "".join(
                f'<option value="{escape_attribute(text)}">' for text in typed[0].samples or samples
            )
            datalists.append(f'<datalist id="{uid}-list{number}">{options}</datalist>')
        return marks

    return render_html(node, marker=marker) + "".join(datalists)


def _key(number: int, event: str, typed: str | None) -> str:
    return f"{number}:{event}" if typed is None else f"{number}:{event}:{typed}"


def to_static_html(
    app: App, *, max_states: int = 200, max_bytes: int = DEFAULT_MAX_BYTES
) -> StaticHTML:
    """The app as a block a reader clicks through with no kernel (see the module)."""
    from fmlab.mvu._explore import explore

    found = explore(app, max_states=max_states)
    models = list(found.models)
    number = {model: index for index, model in enumerate(models)}
    states: list[dict[str, Any]] = []
    moves: list[dict[str, list[Any]]] = []
    uid = "fmlab-mvu-" + hashlib.sha1(f"{app.name}{models!r}".encode()).hexdigest()[:10]
    for model in models:
        view = app.render(model)
        states.append(
            {
                "html": _marked_html(view, uid, app.input_samples),
                "model": repr(model),
                "broken": list(app.broken_invariants(model)),
            }
        )
        moves.append(_moves(app, model, view, number))
    data = {"states": states, "moves": moves, "complete": found.complete, "bound": len(models)}
    html = _page(uid, data, states[0], _STATIC_SCRIPT, _controls(found.complete, len(models)))
    if len(html) > max_bytes:
        raise ValueError(
            f"the static page would take {len(html):,} bytes (max_bytes={max_bytes:,}); "
            "lower max_states"
        )
    return StaticHTML(html, len(models), found.complete)


def _moves(
    app: App,
    model: Hashable,
    view: Node,
    number: dict[Hashable, int],
) -> dict[str, list[Any]]:
    numbers = _handler_numbers(view)
    moves: dict[str, list[Any]] = {}
    for handler in app.offered(model):
        key = _key(numbers[handler.path], handler.event, handler.typed)
        step = app.step(model, handler.message)
        target = number.get(step.model, -1)  # -1: beyond the bound
        effects = ", ".join(map(repr, step.effects))
        moves[key] = [target, repr(handler.message), effects]
    return moves


def _controls(complete: bool, states: int) -> str:
    bound = "" if complete else f" (the page holds the first {states} models)"
    return (
        '<button type="button" data-fm-do="back">&#9664; back</button>'
        '<button type="button" data-fm-do="restart">restart</button>'
        f'<span class="fmlab-mvu-note">Click the app{escape_text(bound)}.</span>'
    )


def _json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    # Nothing inside the script element may read as markup: no "<", ">" or "&" at all.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_STYLE = """
#UID{border:1px solid #ccd;border-radius:6px;padding:.6em;margin:.6em 0;font-size:.95em}
#UID .fmlab-mvu-bar{display:flex;gap:.5em;align-items:center;flex-wrap:wrap;margin-bottom:.5em}
#UID .fmlab-mvu-bar button{font-size:.85em}
#UID .fmlab-mvu-note{color:#555;font-size:.85em}
#UID .fmlab-mvu-view{padding:.4em;border:1px dashed #dde;overflow-x:auto}
#UID .fmlab-mvu-model{font-family:monospace;font-size:.85em;white-space:pre-wrap;
overflow-wrap:anywhere;margin:.4em 0 0 0}
#UID .fmlab-mvu-model.broken{color:#b00}
#UID .fmlab-mvu-trail{font-family:monospace;font-size:.8em;margin:.3em 0 0 0;color:#444}
#UID .fmlab-mvu-step.current{font-weight:bold}
"""


def _page(uid: str, data: dict[str, Any], first: dict[str, Any], script: str, bar: str) -> str:
    broken = " broken" if first["broken"] else ""
    return (
        f'<div class="fmlab-mvu" id="{uid}" data-fm-state="0">'
        f"<style>{_STYLE.replace('UID', uid).strip()}</style>"
        f'<div class="fmlab-mvu-bar">{bar}</div>'
        f'<div class="fmlab-mvu-view">{first["html"]}</div>'
        f'<div class="fmlab-mvu-model{broken}">{escape_text(_model_text(first))}</div>'
        '<ol class="fmlab-mvu-trail"></ol>'
        f'<script type="application/json" class="fmlab-mvu-data">{_json(data)}</script>'
        f"<script>{script.replace('UID', uid).strip()}</script>"
        "</div>"
    )


def _model_text(state: dict[str, Any]) -> str:
    text = f"model: {state['model']}"
    if state["broken"]:
        text += "  (breaks " + ", ".join(state["broken"]) + ")"
    return text


# The script of a clickable app. It only swaps pre-rendered views: the reader's clicks
# select moves computed when the page was built.
_STATIC_SCRIPT = """
(function () {
  var root = document.getElementById("UID");
  var data = JSON.parse(root.querySelector("script.fmlab-mvu-data").textContent);
  var view = root.querySelector(".fmlab-mvu-view");
  var modelLine = root.querySelector(".fmlab-mvu-model");
  var note = root.querySelector(".fmlab-mvu-note");
  var trail = root.querySelector(".fmlab-mvu-trail");
  var path = [0], sent = [];
  function show(text) {
    var state = data.states[path[path.length - 1]];
    view.innerHTML = state.html;
    var line = "model: " + state.model;
    if (state.broken.length) { line += "  (breaks " + state.broken.join(", ") + ")"; }
    modelLine.textContent = line;
    modelLine.className = "fmlab-mvu-model" + (state.broken.length ? " broken" : "");
    note.textContent = text || "";
    root.setAttribute("data-fm-state", String(path[path.length - 1]));
    trail.innerHTML = "";
    sent.forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      trail.appendChild(item);
    });
  }
  function go(key) {
    var move = data.moves[path[path.length - 1]][key];
    if (!move) { return false; }
    if (move[0] < 0) {
      note.textContent = move[1] + " leads beyond the " + data.bound +
        " models this page holds.";
      return true;
    }
    path.push(move[0]);
    sent.push(move[1]);
    show(move[2] ? "effects: " + move[2] : "sent " + move[1]);
    return true;
  }
  view.addEventListener("click", function (event) {
    var element = event.target.closest("[data-fm-h]");
    if (!element || !view.contains(element)) { return; }
    if (go(element.getAttribute("data-fm-h") + ":click")) { event.preventDefault(); }
  });
  view.addEventListener("change", function (event) {
    var element = event.target.closest("[data-fm-h]");
    if (!element || !view.contains(element)) { return; }
    var number = element.getAttribute("data-fm-h"), value = element.value;
    if (go(number + ":input:" + value) || go(number + ":change:" + value)) { return; }
    var known = Object.keys(data.moves[path[path.length - 1]]).filter(function (key) {
      return key.indexOf(number + ":input:") === 0 || key.indexOf(number + ":change:") === 0;
    }).map(function (key) { return JSON.stringify(key.split(":").slice(2).join(":")); });
    note.textContent = JSON.stringify(value) + " was not pre-computed; try " + known.join(", ");
  });
  root.addEventListener("submit", function (event) { event.preventDefault(); });
  root.querySelector("[data-fm-do=back]").addEventListener("click", function () {
    if (path.length > 1) { path.pop(); sent.pop(); show("stepped back"); }
  });
  root.querySelector("[data-fm-do=restart]").addEventListener("click", function () {
    path = [0]; sent = []; show("");
  });
})();
"""


def static_debugger(debugger: Debugger, *, max_bytes: int = DEFAULT_MAX_BYTES) -> StaticHTML:
    """A recorded session with every step pre-rendered, to step through on a page."""
    app = debugger.app
    steps = []
    uid_source = f"debugger{app.name}{debugger.messages!r}"
    uid = "fmlab-mvu-" + hashlib.sha1(uid_source.encode()).hexdigest()[:10]
    for entry in debugger.entries:
        steps.append(
            {
                "html": render_html(app.render(entry.model)),
                "model": repr(entry.model),
                "broken": list(entry.broken),
                "message": "init" if entry.message is None else repr(entry.message),
                "effects": ", ".join(map(repr, entry.effects)),
            }
        )
    violation = debugger.first_violation()
    data = {
        "states": steps,
        "start": debugger.cursor,
        "violation": -1 if violation is None else violation.index,
    }
    bar = (
        '<button type="button" data-fm-do="first">&#171; first</button>'
        '<button type="button" data-fm-do="back">&#9664; back</button>'
        '<button type="button" data-fm-do="forward">forward &#9654;</button>'
        '<button type="button" data-fm-do="last">last &#187;</button>'
        f'<input type="range" min="0" max="{len(steps) - 1}" value="{debugger.cursor}" '
        'data-fm-do="slide" aria-label="step">'
        + (
            '<button type="button" data-fm-do="violation">jump to violation</button>'
            if violation is not None
            else ""
        )
        + '<span class="fmlab-mvu-note"></span>'
    )
    first = steps[debugger.cursor]
    html = _page(uid, data, first, _DEBUGGER_SCRIPT, bar).replace(
        '<ol class="fmlab-mvu-trail"></ol>', _step_list(steps, debugger.cursor)
    )
    if len(html) > max_bytes:
        raise ValueError(f"the static debugger would take {len(html):,} bytes")
    return StaticHTML(html, len(steps), complete=True, session=True)


def _step_list(steps: list[dict[str, Any]], cursor: int) -> str:
    items = []
    for index, step in enumerate(steps):
        current = " current" if index == cursor else ""
        broken = "  breaks " + ", ".join(step["broken"]) if step["broken"] else ""
        items.append(
            f'<li class="fmlab-mvu-step{current}" value="{index}">'
            f"{escape_text(step['message'])}{escape_text(broken)}</li>"
        )
    return f'<ol class="fmlab-mvu-trail" start="0">{"".join(items)}</ol>'


_DEBUGGER_SCRIPT = """
(function () {
  var root = document.getElementById("UID");
  var data = JSON.parse(root.querySelector("script.fmlab-mvu-data").textContent);
  var view = root.querySelector(".fmlab-mvu-view");
  var modelLine = root.querySelector(".fmlab-mvu-model");
  var note = root.querySelector(".fmlab-mvu-note");
  var slider = root.querySelector("[data-fm-do=slide]");
  var items = root.querySelectorAll(".fmlab-mvu-step");
  var at = data.start;
  function show(index) {
    at = Math.max(0, Math.min(data.states.length - 1, index));
    var step = data.states[at];
    view.innerHTML = step.html;
    var line = "model: " + step.model;
    if (step.broken.length) { line += "  (breaks " + step.broken.join(", ") + ")"; }
    modelLine.textContent = line;
    modelLine.className = "fmlab-mvu-model" + (step.broken.length ? " broken" : "");
    note.textContent = "step " + at + " of " + (data.states.length - 1) + ": " + step.message +
      (step.effects ? " (effects: " + step.effects + ")" : "");
    slider.value = String(at);
    root.setAttribute("data-fm-state", String(at));
    for (var i = 0; i < items.length; i++) {
      items[i].className = "fmlab-mvu-step" + (i === at ? " current" : "");
    }
  }
  function on(name, action) {
    var button = root.querySelector("[data-fm-do=" + name + "]");
    if (button) { button.addEventListener("click", action); }
  }
  on("first", function () { show(0); });
  on("back", function () { show(at - 1); });
  on("forward", function () { show(at + 1); });
  on("last", function () { show(data.states.length - 1); });
  on("violation", function () { show(data.violation); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  view.addEventListener("click", function (event) { event.preventDefault(); });
  root.addEventListener("submit", function (event) { event.preventDefault(); });
  show(at);
})();
"""
