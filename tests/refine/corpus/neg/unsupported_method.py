# expect: unsupported 7
"""Method calls are outside the subset."""


def grow(xs: list[int]) -> int:
    ys = xs
    ys.append(1)
    return len(ys)
