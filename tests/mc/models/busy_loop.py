"""A spinning process and a waiting one: progress needs weak fairness.

Process A takes its ``spin`` step forever; process B can ``go`` at any time. Without
fairness A may spin forever while B never moves; under weak fairness of ``go`` (it stays
enabled, so it must eventually be taken) B finishes.
"""


def init():
    return [(0, "waiting")]


def next(state):
    spins, b = state
    yield "spin", ((spins + 1) % 2, b)
    if b == "waiting":
        yield "go", (spins, "done")


leadsto_b_finishes = (lambda s: s[1] == "waiting", lambda s: s[1] == "done")
