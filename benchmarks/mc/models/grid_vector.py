"""The grid model for the fast path: K counters modulo M as a VectorModel.

The same state space as ``grid.py`` (M**K states, K * M**K transitions); states are
named tuples ``State(c0=..., c1=..., ...)``. ``GRID_K``/``GRID_M`` choose other sizes.
"""

import os

from fmlab.mc import VectorAction, VectorModel

K = int(os.environ.get("GRID_K", "7"))
M = int(os.environ.get("GRID_M", "10"))
COUNTERS = [f"c{i}" for i in range(K)]


def _increment(name):
    return lambda v: {name: (v[name] + 1) % M}


def _all_in_range(v):
    result = True
    for name in COUNTERS:
        result = result & (v[name] < M)
    return result


model = VectorModel(
    variables={name: M for name in COUNTERS},
    init=[{}],
    actions=[VectorAction(f"inc({i})", None, _increment(name)) for i, name in enumerate(COUNTERS)],
    invariants={"inv_in_range": _all_in_range},
    name="grid",
)
