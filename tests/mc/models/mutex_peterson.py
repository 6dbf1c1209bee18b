"""Peterson's algorithm for two processes: mutual exclusion holds, and so does progress.

State: (pc0, pc1, flag0, flag1, turn). A process raises its flag, gives the turn away,
then waits while the other's flag is up and the turn is the other's.
"""


def init():
    return [("idle", "idle", False, False, 0)]


def _update(state, me, pc, flag=None, turn=None):
    pcs, flags = list(state[:2]), list(state[2:4])
    pcs[me] = pc
    if flag is not None:
        flags[me] = flag
    return (pcs[0], pcs[1], flags[0], flags[1], state[4] if turn is None else turn)


def next(state):
    for me in (0, 1):
        other = 1 - me
        pc = state[me]
        if pc == "idle":
            yield f"want({me})", _update(state, me, "flagged", True)
        elif pc == "flagged":
            yield f"yield({me})", _update(state, me, "waiting", turn=other)
        elif pc == "waiting" and (not state[2 + other] or state[4] == me):
            yield f"enter({me})", _update(state, me, "critical")
        elif pc == "critical":
            yield f"leave({me})", _update(state, me, "idle", False)


def inv_mutual_exclusion(state):
    return not (state[0] == "critical" and state[1] == "critical")


# A waiting process eventually enters, if both processes keep taking steps.
leadsto_entry0 = (lambda s: s[0] == "waiting", lambda s: s[0] == "critical")
WEAK_FAIRNESS = ["want", "yield", "enter", "leave"]
