# expect: unsafe 12
"""Counting one extra element: the bound fails for [1]."""

from typing import Annotated


def count_positive(xs: list[int]) -> Annotated[int, "_ < len(xs)"]:
    count = 0
    for i in range(len(xs)):
        if xs[i] > 0:
            count = count + 1
    return count
