"""A counter with no upper bound: exploration cannot finish, induction can.

Its reachable models are 0, 1, 2, ... without end, so any bounded exploration stops
with the invariant unknown; the invariant is inductive, so z3 proves it for every model.
``valid`` says which messages the proof may assume: the view disables "-" at zero.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import unbounded_counter
>>> App.from_module(unbounded_counter).run([Increment(), Increment(), Decrement()])[-1]
Model(count=1, clicks=3)
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.mvu import Element, h


@dataclass(frozen=True)
class Model:
    count: int
    clicks: int


@dataclass(frozen=True)
class Increment:
    pass


@dataclass(frozen=True)
class Decrement:
    pass


Msg = Increment | Decrement


def init() -> Model:
    return Model(0, 0)


def update(model: Model, msg: Msg) -> Model:
    if isinstance(msg, Increment):
        return Model(model.count + 1, model.clicks + 1)
    # No check here: the view never offers "-" at zero, and `valid` tells the proof so.
    return Model(model.count - 1, model.clicks + 1)


def view(model: Model) -> Element:
    return h(
        "div",
        {},
        [
            h("button", {"on_click": Decrement(), "disabled": model.count == 0}, ["-"]),
            h("span", {}, [f"{model.count} after {model.clicks} clicks"]),
            h("button", {"on_click": Increment()}, ["+"]),
        ],
    )


def valid(model: Model, msg: Msg) -> bool:
    """The messages the view can send in ``model``: "-" only above zero."""
    return not (isinstance(msg, Decrement) and model.count == 0)


def inv_not_negative(model: Model) -> bool:
    return model.count >= 0


def inv_count_at_most_clicks(model: Model) -> bool:
    return model.count <= model.clicks
