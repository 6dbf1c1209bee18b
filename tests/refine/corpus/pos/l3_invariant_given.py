# expect: safe
"""A loop with an invariant written by hand."""

from typing import Annotated


def sum_to(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= n"]:
    total = 0
    i = 0
    while i < n:
        # @ invariant 0 <= i <= n and total >= i
        i += 1
        total += i
    return total
