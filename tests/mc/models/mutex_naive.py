"""Two processes guard a critical section with flags they test and then set: broken.

Each process tests the other's flag and only then raises its own, so both can pass the
test before either flag is up. The shortest violation takes four steps.
"""


def init():
    return [("idle", "idle", False, False)]


def _update(state, me, pc, flag=None):
    pcs = list(state[:2])
    flags = list(state[2:])
    pcs[me] = pc
    if flag is not None:
        flags[me] = flag
    return (pcs[0], pcs[1], flags[0], flags[1])


def next(state):
    for me in (0, 1):
        pc, other_flag = state[me], state[2 + (1 - me)]
        if pc == "idle" and not other_flag:
            yield f"test({me})", _update(state, me, "tested")
        elif pc == "tested":
            yield f"enter({me})", _update(state, me, "critical", True)
        elif pc == "critical":
            yield f"leave({me})", _update(state, me, "idle", False)


def inv_mutual_exclusion(state):
    return not (state[0] == "critical" and state[1] == "critical")
