# expect: unsafe 6
"""L5: head of a possibly empty list."""


def head(xs: list[int]) -> int:
    return xs[0]
