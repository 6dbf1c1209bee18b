# expect: unsafe 10
"""L2: recursion on an unguarded argument: the call's precondition fails at n = 0."""

from typing import Annotated


def total(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= 0"]:
    if n < 0:
        return 0
    return n + total(n - 1)
