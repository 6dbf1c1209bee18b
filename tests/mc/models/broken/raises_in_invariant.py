def init():
    return [0]


def next(state):
    if state < 3:
        yield "step", state + 1


def inv_positive(state):
    return 10 / (2 - state) > 0
