"""The lost update fixed with a lock around read and write: x ends at 2."""


def init():
    # x, pc0, pc1, tmp0, tmp1, lock holder (None or a worker)
    return [(0, "start", "start", 0, 0, None)]


def next(state):
    x, pcs, tmps, lock = state[0], list(state[1:3]), list(state[3:5]), state[5]
    for me in (0, 1):
        p, t = pcs.copy(), tmps.copy()
        if pcs[me] == "start" and lock is None:
            p[me] = "locked"
            yield f"lock({me})", (x, p[0], p[1], t[0], t[1], me)
        elif pcs[me] == "locked":
            p[me], t[me] = "read", x
            yield f"read({me})", (x, p[0], p[1], t[0], t[1], lock)
        elif pcs[me] == "read":
            p[me] = "done"
            yield f"write_unlock({me})", (tmps[me] + 1, p[0], p[1], t[0], t[1], None)


def terminal(state):
    return state[1] == state[2] == "done"


def inv_no_lost_update(state):
    return not terminal(state) or state[0] == 2
