# expect: safe
"""L2: a three-way comparison returns -1, 0 or 1 and agrees with the order."""

from typing import Annotated


def compare(a: int, b: int) -> Annotated[int, "-1 <= _ <= 1 and (_ == 0) == (a == b)"]:
    if a < b:
        return -1
    if a == b:
        return 0
    return 1
