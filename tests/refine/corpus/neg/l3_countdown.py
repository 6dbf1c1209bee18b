# expect: unsafe 11
"""Counting down by two can jump past zero."""

from typing import Annotated


def countdown(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == 0"]:
    k = n
    while k > 0:
        k = k - 2
    return k
