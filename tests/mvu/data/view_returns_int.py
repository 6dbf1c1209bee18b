from dataclasses import dataclass


@dataclass(frozen=True)
class Tick:
    pass


def init():
    return 0


def update(model, msg):
    return model + 1


def view(model):
    return model
