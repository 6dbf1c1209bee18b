# expect: unsafe 13 20 26
"""L7: a metric that does not go down fails at the call, and so does a default with none."""

from typing import Annotated


def gcd(a: Annotated[int, "_ > 0"], b: Annotated[int, "_ > 0"]) -> Annotated[int, "_ > 0"]:
    # @ decreases a
    if a == b:
        return a
    if a > b:
        return gcd(a - b, b)
    return gcd(a, b - a)


def steps(lo: int, hi: Annotated[int, "_ >= lo"]) -> Annotated[int, "_ == hi - lo"]:
    # @ decreases lo, hi
    if lo == hi:
        return 0
    return 1 + steps(lo + 1, hi)


def climb(i: Annotated[int, "_ >= 0"], xs: list[int]) -> int:
    if i >= len(xs):
        return 0
    return xs[i] + climb(i + 1, xs)
