# expect: unsupported 10 14
"""Returns of different types, or of a type the text does not show: that function only."""

from typing import Annotated


def mixed(flag: bool):
    if flag:
        return 1
    return "no"


def halve(n: int):
    return n / 2


def fine(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= 0"]:
    return n + 1
