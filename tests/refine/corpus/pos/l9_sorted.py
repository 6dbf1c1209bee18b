# expect: safe
"""L9: a data invariant relating neighbouring elements (LiquidHaskell's IncrList, the
tutorial's ordered lists): insertion sort and merge return sorted lists."""

from typing import Annotated

# @ relation ascending(a: int, b: int): a <= b


def insert(
    x: int, ys: Annotated[list[int], "ascending(_)"]
) -> Annotated[
    list[int],
    "ascending(_) and len(_) == len(ys) + 1 and (_[0] == x or (len(ys) > 0 and _[0] == ys[0]))",
]:
    if not ys:
        return [x]
    if x <= ys[0]:
        return [x, *ys]
    return [ys[0], *insert(x, ys[1:])]


def insertion_sort(xs: list[int]) -> Annotated[list[int], "ascending(_) and len(_) == len(xs)"]:
    if not xs:
        return []
    return insert(xs[0], insertion_sort(xs[1:]))


def merge(
    xs: Annotated[list[int], "ascending(_)"], ys: Annotated[list[int], "ascending(_)"]
) -> Annotated[
    list[int],
    "ascending(_) and len(_) == len(xs) + len(ys)"
    " and (len(_) == 0 or (len(xs) > 0 and _[0] == xs[0]) or (len(ys) > 0 and _[0] == ys[0]))",
]:
    if not xs:
        return ys
    if not ys:
        return xs
    if xs[0] <= ys[0]:
        return [xs[0], *merge(xs[1:], ys)]
    return [ys[0], *merge(xs, ys[1:])]


def smallest(
    xs: Annotated[list[int], "ascending(_) and len(_) > 0"], i: int
) -> Annotated[int, "0 <= i < len(xs) and _ <= xs[i] or not 0 <= i < len(xs)"]:
    return xs[0]
