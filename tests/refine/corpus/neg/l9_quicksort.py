# expect: unsafe 18 27
"""L9: quicksort's bugs. A partition that keeps the pivot's equals on the low side breaks
its own promise (``_ < pivot``); gluing the sorted parts in the wrong order does not give
a sorted list."""

from typing import Annotated

# @ relation ascending(a: int, b: int): a <= b


def below(
    pivot: int, xs: list[int]
) -> Annotated[list[Annotated[int, "_ < pivot"]], "len(_) <= len(xs)"]:
    if not xs:
        return []
    rest = below(pivot, xs[1:])
    if xs[0] <= pivot:
        return [xs[0], *rest]
    return rest


def glue(
    pivot: int,
    lows: Annotated[list[Annotated[int, "_ < pivot"]], "ascending(_)"],
    highs: Annotated[list[Annotated[int, "_ >= pivot"]], "ascending(_)"],
) -> Annotated[list[int], "ascending(_) and len(_) == len(lows) + len(highs) + 1"]:
    return [*highs, pivot, *lows]
