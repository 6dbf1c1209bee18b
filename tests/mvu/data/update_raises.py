from dataclasses import dataclass

from fmlab.mvu import h


@dataclass(frozen=True)
class Halve:
    pass


def init():
    return 2


def update(model, msg):
    return 10 // (model - 1)


def view(model):
    return h("button", {"on_click": Halve()}, [str(model)])
