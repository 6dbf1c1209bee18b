# expect: safe
"""L2: the guard of a branch is known inside it (path sensitivity)."""

from typing import Annotated


def absolute(x: int) -> Annotated[int, "_ >= 0 and (_ == x or _ == -x)"]:
    if x < 0:
        return -x
    return x
