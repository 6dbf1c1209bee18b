# expect: safe
"""Counting down to zero, with an inferred invariant."""

from typing import Annotated


def countdown(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == 0"]:
    k = n
    while k > 0:
        k = k - 1
    return k
