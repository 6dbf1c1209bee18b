# expect: unsafe 11
"""An inferred result type is checked like a written one: falling off the end returns None."""

from typing import Annotated


def sign(x: int):
    if x > 0:
        return 1
    elif x < 0:
        return -1


def use(x: Annotated[int, "_ != 0"]) -> int:
    return sign(x) + 1
