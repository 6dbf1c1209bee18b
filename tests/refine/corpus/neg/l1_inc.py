# expect: unsafe 8
"""L1: without a refinement on x, x + 1 need not be positive."""

from typing import Annotated


def inc(x: int) -> Annotated[int, "_ > 0"]:
    return x + 1
