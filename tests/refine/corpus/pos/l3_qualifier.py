# expect: safe
"""A user qualifier guides inference: j stays twice i."""

from typing import Annotated

# @ qualif Twice(v: int, w: int): v == 2 * w


def double(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == 2 * n"]:
    i = 0
    j = 0
    while i < n:
        i = i + 1
        j = j + 2
    return j
