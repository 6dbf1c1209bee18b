# expect: unsafe 9
"""L1: the result refers to the parameter's value at entry, not the reassigned x."""

from typing import Annotated


def shift(x: Annotated[int, "_ >= 10"]) -> Annotated[int, "_ >= x"]:
    x = x - 3
    return x
