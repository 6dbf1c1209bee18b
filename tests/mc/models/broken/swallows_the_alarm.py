"""A next() that swallows the first interruption (as Python does for an exception raised
inside a garbage-collector callback) and keeps hanging for a while."""

import time


def init():
    return [0]


def next(state):
    if state == 3:
        try:
            while True:
                time.sleep(0.05)
        except BaseException:
            pass
        give_up = time.perf_counter() + 20
        while time.perf_counter() < give_up:
            time.sleep(0.05)
    yield "step", state + 1
