# expect: unsafe 8
"""range one too long: the last index is len(xs)."""


def total(xs: list[int]) -> int:
    s = 0
    for i in range(len(xs) + 1):
        s = s + xs[i]
    return s
