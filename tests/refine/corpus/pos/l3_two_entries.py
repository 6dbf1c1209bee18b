# expect: safe
"""Two paths reach the loop with different facts: the invariant is inferred for each."""

from typing import Annotated


def climb(n: Annotated[int, "_ >= 0"], high: bool) -> Annotated[int, "_ >= n or _ == 5"]:
    if high:  # noqa: SIM108 - two paths into the loop are the point
        i = 5
    else:
        i = -3
    while i < n:
        i = i + 1
    return i
