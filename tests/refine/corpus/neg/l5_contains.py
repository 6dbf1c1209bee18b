# expect: unsafe 9
"""Absence tells nothing about the length."""

from typing import Annotated


def nonempty_if_missing(xs: list[int], x: int) -> Annotated[int, "_ >= 0"]:
    if x not in xs:
        return len(xs) - 1
    return 0
