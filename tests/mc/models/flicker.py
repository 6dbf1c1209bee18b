"""A light that flickers and a process that may pass only while it is on.

``enter`` is enabled only in half of the states, so it is never *continuously* enabled:
weak fairness of ``enter`` does not force it (the light may be off each time we look),
strong fairness does (it is enabled infinitely often).
"""


def init():
    return [("off", "waiting")]


def next(state):
    light, process = state
    yield "toggle", ("on" if light == "off" else "off", process)
    if light == "on" and process == "waiting":
        yield "enter", (light, "inside")


leadsto_enters = (lambda s: s[1] == "waiting", lambda s: s[1] == "inside")
