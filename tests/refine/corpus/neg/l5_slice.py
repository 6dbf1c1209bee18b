# expect: unsafe 8
"""A slice is shorter than asked for when the list is short."""

from typing import Annotated


def prefix(xs: list[int], n: Annotated[int, "_ >= 0"]) -> Annotated[list[int], "len(_) == n"]:
    return xs[:n]
