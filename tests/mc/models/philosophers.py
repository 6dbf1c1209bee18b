"""Three dining philosophers, each taking the left fork and then the right: deadlock.

State: a tuple of fork holders (None or a philosopher) and a tuple of phases. The
shortest deadlock has every philosopher take the left fork: three steps.
"""

N = 3


def init():
    return [((None,) * N, ("thinking",) * N)]


def _with(values, index, value):
    return (*values[:index], value, *values[index + 1 :])


def next(state):
    forks, phases = state
    for p in range(N):
        left, right = p, (p + 1) % N
        if phases[p] == "thinking" and forks[left] is None:
            yield f"take_left({p})", (_with(forks, left, p), _with(phases, p, "has_left"))
        elif phases[p] == "has_left" and forks[right] is None:
            yield f"take_right({p})", (_with(forks, right, p), _with(phases, p, "eating"))
        elif phases[p] == "eating":
            released = _with(_with(forks, left, None), right, None)
            yield f"put_down({p})", (released, _with(phases, p, "thinking"))


def inv_forks_held_by_neighbours(state):
    forks, _ = state
    return all(
        holder is None or fork in (holder, (holder + 1) % N) for fork, holder in enumerate(forks)
    )
