# expect: safe
"""L5: concatenation adds lengths."""

from typing import Annotated


def append(xs: list[int], ys: list[int]) -> Annotated[list[int], "len(_) == len(xs) + len(ys)"]:
    return xs + ys


def snoc(xs: list[int], x: int) -> Annotated[list[int], "len(_) == len(xs) + 1"]:
    return append(xs, [x])
