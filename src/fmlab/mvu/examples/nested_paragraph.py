"""A view whose nesting the browser repairs: a ``<div>`` inside a ``<p>``.

The server sends ``<p>Total: <div>…</div></p>``; the browser's parser closes the
paragraph before the ``<div>`` (a ``<p>`` may hold only phrasing content), so the tree
in the page is not the view's tree and hydration falls back. Deliberately wrong.

>>> from fmlab.mvu import App, render_html
>>> from fmlab.mvu.examples import nested_paragraph
>>> app = App.from_module(nested_paragraph)
>>> render_html(app.render(app.init_model()))
'<section><p>Total: <div class="amount">0</div></p><button>add one</button></section>'
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.mvu import Element, h


@dataclass(frozen=True)
class Model:
    total: int


@dataclass(frozen=True)
class AddOne:
    pass


Msg = AddOne

MAXIMUM = 3


def init() -> Model:
    return Model(0)


def update(model: Model, msg: Msg) -> Model:
    return Model(min(model.total + 1, MAXIMUM))


def view(model: Model) -> Element:
    return h(
        "section",
        {},
        [
            h("p", {}, ["Total: ", h("div", {"class": "amount"}, [str(model.total)])]),
            h("button", {"on_click": AddOne(), "disabled": model.total == MAXIMUM}, ["add one"]),
        ],
    )


def inv_at_most_maximum(model: Model) -> bool:
    return model.total <= MAXIMUM
