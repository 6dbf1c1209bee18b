from dataclasses import dataclass

from fmlab.mvu import h


@dataclass(frozen=True)
class Spin:
    pass


def init():
    return 0


def update(model, msg):
    while True:
        try:
            model += 1
        except Exception:  # catching everything must not keep the command alive
            model = 0


def view(model):
    return h("button", {"on_click": Spin()}, [str(model)])
