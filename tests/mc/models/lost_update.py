"""Two workers increment a shared counter by reading it and writing back read + 1.

State: (x, pc0, pc1, tmp0, tmp1). When both are done, x should be 2; the interleaving
read, read, write, write leaves 1: the shortest violation takes four steps.
"""


def init():
    return [(0, "start", "start", 0, 0)]


def next(state):
    x, pcs, tmps = state[0], list(state[1:3]), list(state[3:5])
    for me in (0, 1):
        if pcs[me] == "start":
            p, t = pcs.copy(), tmps.copy()
            p[me], t[me] = "read", x
            yield f"read({me})", (x, p[0], p[1], t[0], t[1])
        elif pcs[me] == "read":
            p = pcs.copy()
            p[me] = "done"
            yield f"write({me})", (tmps[me] + 1, p[0], p[1], tmps[0], tmps[1])


def terminal(state):
    return state[1] == state[2] == "done"


def inv_no_lost_update(state):
    return not terminal(state) or state[0] == 2
