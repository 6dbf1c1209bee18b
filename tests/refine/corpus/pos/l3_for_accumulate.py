# expect: safe
"""The inferred invariant keeps an accumulator non-negative."""

from typing import Annotated


def count_positive(xs: list[int]) -> Annotated[int, "0 <= _ <= len(xs)"]:
    count = 0
    for i in range(len(xs)):
        if xs[i] > 0:
            count = count + 1
    return count
