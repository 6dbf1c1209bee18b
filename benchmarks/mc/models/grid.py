"""The grid model: K counters, each counting modulo M, one increment action per counter.

Every valuation is reachable, so there are M**K states and K * M**K transitions: with
K = 7 and M = 10, 10,000,000 states and 70,000,000 transitions. This is the plain file
convention with the state packed into one integer (digit ``i`` in base M is counter
``i``), the fastest way to write it for the plain path. ``GRID_K`` and ``GRID_M`` in the
environment choose other sizes.
"""

import os

K = int(os.environ.get("GRID_K", "7"))
M = int(os.environ.get("GRID_M", "10"))

# (label, the step that adds one to counter i, the step that wraps it from M - 1 to 0)
_ACTIONS = tuple((f"inc({i})", M**i, (M - 1) * M**i) for i in range(K))
_TOP = M - 1


def init():
    return [0]


def next(state):
    return [
        (label, state - wrap if state // step % M == _TOP else state + step)
        for label, step, wrap in _ACTIONS
    ]


def inv_in_range(state):
    return 0 <= state < M**K


def promela(k=K, m=M):
    """The same grid in Promela, one ``do`` option per counter, for SPIN."""
    counters = [f"c{i}" for i in range(k)]
    options = "\n".join(f"  :: {c} = ({c} + 1) % {m}" for c in counters)
    in_range = " && ".join(f"{c} < {m}" for c in counters)
    return (
        f"byte {', '.join(counters)};\n"
        f"active proctype grid() {{\n  do\n{options}\n  od\n}}\n"
        f"ltl inv_in_range {{ [] ({in_range}) }}\n"
    )
