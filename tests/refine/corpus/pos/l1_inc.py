# expect: safe
"""L1: the result of inc is one more than its argument, so a natural stays positive."""

from typing import Annotated

Nat = int


def inc(x: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ > 0 and _ == x + 1"]:
    return x + 1
