# expect: safe
"""L1: straight-line code: each assignment is a new version of the variable."""

from typing import Annotated


def shift(x: Annotated[int, "_ >= 10"]) -> Annotated[int, "_ >= 7"]:
    y = x - 1
    y = y - 1
    x = y - 1
    return x
