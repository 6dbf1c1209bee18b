"""A view that reads the clock: deliberately wrong, for the chapter.

The greeting depends on the hour at which the view runs, not on the model. The server
renders at one time and the browser hydrates at another, so the text differs and
hydration falls back; rendering the same model twice with the clock moved shows it.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import clock_greeting
>>> App.from_module(clock_greeting).run([Next()])[-1]
Model(page=1)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fmlab.mvu import Element, h


@dataclass(frozen=True)
class Model:
    page: int


@dataclass(frozen=True)
class Next:
    pass


Msg = Next


def init() -> Model:
    return Model(0)


def update(model: Model, msg: Msg) -> Model:
    return Model((model.page + 1) % 3)


def greeting() -> str:
    hour = datetime.now().hour  # the bug: the view depends on when it runs
    return "Good morning" if hour < 12 else "Good afternoon"


def view(model: Model) -> Element:
    return h(
        "div",
        {},
        [
            h("h1", {}, [f"{greeting()}!"]),
            h("p", {}, [f"Page {model.page + 1} of 3"]),
            h("button", {"on_click": Next()}, ["next"]),
        ],
    )


def inv_known_page(model: Model) -> bool:
    return 0 <= model.page < 3
