"""Infinitely many states: only a bound stops the search."""


def init():
    return [0]


def next(state):
    yield "step", state + 1


def inv_anything(state):
    return True
