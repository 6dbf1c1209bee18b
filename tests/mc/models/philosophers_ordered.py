"""Three dining philosophers taking the lower-numbered fork first: no deadlock."""

N = 3


def init():
    return [((None,) * N, ("thinking",) * N)]


def _with(values, index, value):
    return (*values[:index], value, *values[index + 1 :])


def next(state):
    forks, phases = state
    for p in range(N):
        first, second = sorted((p, (p + 1) % N))
        if phases[p] == "thinking" and forks[first] is None:
            yield f"take_first({p})", (_with(forks, first, p), _with(phases, p, "has_one"))
        elif phases[p] == "has_one" and forks[second] is None:
            yield f"take_second({p})", (_with(forks, second, p), _with(phases, p, "eating"))
        elif phases[p] == "eating":
            released = _with(_with(forks, first, None), second, None)
            yield f"put_down({p})", (released, _with(phases, p, "thinking"))
