def init():
    return [0]


def next(state):
    yield state + 1
