# expect: unsafe 11
"""An invariant that is false before the loop starts."""

from typing import Annotated


def sum_to(n: Annotated[int, "_ >= 0"]) -> int:
    total = 0
    i = 0
    while i < n:
        # @ invariant total >= 1
        i += 1
        total += i
    return total
