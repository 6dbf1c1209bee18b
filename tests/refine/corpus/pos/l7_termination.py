# expect: safe
"""L7: recursion terminates when a metric decreases and stays non-negative."""

from typing import Annotated


def total(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= 0"]:
    if n == 0:
        return 0
    return n + total(n - 1)


def count_up(i: Annotated[int, "_ >= 0"], n: Annotated[int, "_ >= i"]) -> Annotated[int, "_ == n"]:
    # @ decreases n - i
    if i == n:
        return i
    return count_up(i + 1, n)


def length(xs: list[int]) -> Annotated[int, "_ == len(xs)"]:
    if not xs:
        return 0
    return 1 + length(xs[1:])
