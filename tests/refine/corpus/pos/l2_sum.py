# expect: safe
"""L2: recursion: the recursive call assumes the signature being checked."""

from typing import Annotated


def total(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= 0 and _ >= n"]:
    if n == 0:
        return 0
    return n + total(n - 1)
