# expect: safe
"""L3: linear search that stops at the first match: the result is -1 or a valid index."""

from typing import Annotated


def find(xs: list[int], x: int) -> Annotated[int, "-1 <= _ < len(xs)"]:
    found = -1
    for i in range(len(xs)):
        # @ invariant found == -1
        if xs[i] == x:
            found = i
            break
    return found


def first_negative(xs: list[int]) -> Annotated[int, "0 <= _ <= len(xs)"]:
    i = 0
    while i < len(xs):
        if xs[i] < 0:
            break
        i += 1
    return i
