def init():
    return [0]


def next(state):
    if state == 2:
        raise ZeroDivisionError("state two")
    yield "step", state + 1
