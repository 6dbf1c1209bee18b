# expect: safe
"""A loop with an inferred invariant (i <= n)."""

from typing import Annotated


def count_up(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == n"]:
    i = 0
    while i < n:
        i = i + 1
    return i
