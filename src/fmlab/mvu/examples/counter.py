"""A counter between 0 and ``MAXIMUM``: the first example of the Elm guide, in Python.

The view disables the button that would leave the range, and ``update`` checks the range
too, so the invariant holds however the messages arrive.

>>> from fmlab.mvu import App, render_html
>>> from fmlab.mvu.examples import counter
>>> app = App.from_module(counter)
>>> html = render_html(app.render(app.run([Increment()])[-1]))
>>> print(html.replace("><", ">\\n<"))
<div class="counter">
<button>-</button>
<span class="count">1</span>
<button>+</button>
<button>reset</button>
</div>
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.mvu import Element, h

MAXIMUM = 5


@dataclass(frozen=True)
class Model:
    count: int


@dataclass(frozen=True)
class Increment:
    pass


@dataclass(frozen=True)
class Decrement:
    pass


@dataclass(frozen=True)
class Reset:
    pass


Msg = Increment | Decrement | Reset


def init() -> Model:
    return Model(0)


def update(model: Model, msg: Msg) -> Model:
    if isinstance(msg, Increment) and model.count < MAXIMUM:
        return Model(model.count + 1)
    if isinstance(msg, Decrement) and model.count > 0:
        return Model(model.count - 1)
    if isinstance(msg, Reset):
        return Model(0)
    return model


def view(model: Model) -> Element:
    return h(
        "div",
        {"class": "counter"},
        [
            h("button", {"on_click": Decrement(), "disabled": model.count == 0}, ["-"]),
            h("span", {"class": "count"}, [str(model.count)]),
            h("button", {"on_click": Increment(), "disabled": model.count == MAXIMUM}, ["+"]),
            h("button", {"on_click": Reset()}, ["reset"]),
        ],
    )


def inv_in_range(model: Model) -> bool:
    return 0 <= model.count <= MAXIMUM
