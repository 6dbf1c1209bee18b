def init():
    return [[0, 0]]


def next(state):
    yield "step", [state[0] + 1, state[1]]
