# expect: safe
"""and/or short-circuit: the index is only evaluated where it is in range."""


def first_positive(xs: list[int]) -> bool:
    return len(xs) > 0 and xs[0] > 0
