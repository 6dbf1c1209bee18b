"""The grid model with tuple states: readable, and about half as fast as ``grid.py``."""

import os

K = int(os.environ.get("GRID_K", "7"))
M = int(os.environ.get("GRID_M", "10"))


def init():
    return [(0,) * K]


def next(state):
    for i in range(K):
        yield f"inc({i})", (*state[:i], (state[i] + 1) % M, *state[i + 1 :])


def inv_in_range(state):
    return all(0 <= value < M for value in state)
