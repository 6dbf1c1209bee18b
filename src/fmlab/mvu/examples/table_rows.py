"""A table whose rows sit directly in ``<table>``: the browser adds a ``<tbody>``.

Markup may omit ``<tbody>``, but the parser still creates it, so the page's tree has one
level more than the view's. Miso's walk compares only element against text, never tag
names, and drops the answer from below the root's children, so it attaches to the wrong
nodes without a word; fmlab's strict rules report the ``<tbody>``. Deliberately wrong.

>>> from fmlab.mvu import App, render_html
>>> from fmlab.mvu.examples import table_rows
>>> app = App.from_module(table_rows)
>>> print(render_html(app.render(app.init_model())).replace("<tr>", "\\n<tr>"))
<div><table>
<tr><th>item</th><th>count</th></tr>
<tr><td>apples</td><td>0</td></tr></table><button>one more apple</button></div>
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.mvu import Element, h


@dataclass(frozen=True)
class Model:
    apples: int


@dataclass(frozen=True)
class More:
    pass


Msg = More

MAXIMUM = 2


def init() -> Model:
    return Model(0)


def update(model: Model, msg: Msg) -> Model:
    return Model(min(model.apples + 1, MAXIMUM))


def view(model: Model) -> Element:
    return h(
        "div",
        {},
        [
            h(
                "table",
                {},
                [
                    h("tr", {}, [h("th", {}, ["item"]), h("th", {}, ["count"])]),
                    h("tr", {}, [h("td", {}, ["apples"]), h("td", {}, [str(model.apples)])]),
                ],
            ),
            h(
                "button",
                {"on_click": More(), "disabled": model.apples == MAXIMUM},
                ["one more apple"],
            ),
        ],
    )


def inv_at_most_maximum(model: Model) -> bool:
    return model.apples <= MAXIMUM
