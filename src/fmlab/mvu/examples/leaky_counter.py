"""A counter whose ``update`` breaks its invariant: deliberately wrong, for the chapter.

The view offers "-" at zero and ``update`` does not check, so one click on "-" makes
the count negative. Exploration finds that message sequence; the inductive proof finds
the same step as a counterexample to induction.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import leaky_counter
>>> App.from_module(leaky_counter).run([Decrement()])[-1]
Model(count=-1)
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.mvu import Element, h


@dataclass(frozen=True)
class Model:
    count: int


@dataclass(frozen=True)
class Increment:
    pass


@dataclass(frozen=True)
class Decrement:
    pass


Msg = Increment | Decrement


def init() -> Model:
    return Model(0)


def update(model: Model, msg: Msg) -> Model:
    if isinstance(msg, Increment):
        return Model(model.count + 1)
    return Model(model.count - 1)  # the bug: no check that the count stays >= 0


def view(model: Model) -> Element:
    return h(
        "div",
        {},
        [
            h("button", {"on_click": Decrement()}, ["-"]),
            h("span", {}, [str(model.count)]),
            h("button", {"on_click": Increment()}, ["+"]),
        ],
    )


def inv_not_negative(model: Model) -> bool:
    return model.count >= 0
