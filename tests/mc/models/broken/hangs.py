import time


def init():
    return [0]


def next(state):
    if state == 3:
        while True:
            time.sleep(0.05)
    yield "step", state + 1


def inv_swallows_everything(state):
    # A model that catches every Exception must still be stopped by the time budget.
    try:
        while state == 2:
            time.sleep(0.05)
    except Exception:
        pass
    return True
