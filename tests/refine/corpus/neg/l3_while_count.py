# expect: unsafe 11
"""Off by one: the loop runs one step too far."""

from typing import Annotated


def count_up(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == n"]:
    i = 0
    while i <= n:
        i = i + 1
    return i
