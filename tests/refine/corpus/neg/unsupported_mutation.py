# expect: unsupported 6
"""Lists are immutable in this version: assignment into one is reported."""


def set_first(xs: list[int]) -> None:
    xs[0] = 1
