# expect: unknown 13
"""The product needs a non-linear invariant: not inferred, and no short run fails."""

from typing import Annotated


def square(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == n * n"]:
    total = 0
    i = 0
    while i < n:
        i = i + 1
        total = total + n
    return total
