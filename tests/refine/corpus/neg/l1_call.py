# expect: unsafe 12
"""L1: a caller must establish the callee's precondition."""

from typing import Annotated


def inc(x: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == x + 1"]:
    return x + 1


def dec_then_inc(y: int) -> int:
    return inc(y - 1)
