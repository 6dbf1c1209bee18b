# expect: safe
"""L1: a module name bound once to an int literal is a fact refinements may use."""

from typing import Annotated


def clamp(x: int) -> Annotated[int, "0 <= _ <= LIMIT"]:
    if x < 0:
        return 0
    if x > LIMIT:
        return LIMIT
    return x


LIMIT = 10
