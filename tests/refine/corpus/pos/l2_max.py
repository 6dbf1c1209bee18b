# expect: safe
"""L2: max of two numbers is at least both."""

from typing import Annotated


def maximum(a: int, b: int) -> Annotated[int, "_ >= a and _ >= b and (_ == a or _ == b)"]:
    if a > b:
        return a
    else:
        return b


def max3(a: int, b: int, c: int) -> Annotated[int, "_ >= a and _ >= b and _ >= c"]:
    return maximum(maximum(a, b), c)
