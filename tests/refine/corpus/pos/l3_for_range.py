# expect: safe
"""for i in range(...): the index is always within the list."""


def total(xs: list[int]) -> int:
    s = 0
    for i in range(len(xs)):
        s = s + xs[i]
    return s
