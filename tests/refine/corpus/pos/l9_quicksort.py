# expect: safe
"""L9, after LiquidHaskell's ListQSort: quicksort returns a sorted list. The partition
helpers' element refinements mention the pivot (``_ < pivot``); quicksort is generic in the
predicate ``p`` its input's elements satisfy (as LiquidHaskell's is in the element type), so
a sorted part keeps the bound its input had, and the last element of the lower part is
below the pivot, which is at most the first of the upper part."""

from typing import Annotated

# @ abstract p(int)
# @ relation ascending(a: int, b: int): a <= b


def below(
    pivot: int, xs: list[Annotated[int, "p(_)"]]
) -> Annotated[list[Annotated[int, "p(_) and _ < pivot"]], "len(_) <= len(xs)"]:
    if not xs:
        return []
    rest = below(pivot, xs[1:])
    if xs[0] < pivot:
        return [xs[0], *rest]
    return rest


def at_least(
    pivot: int, xs: list[Annotated[int, "p(_)"]]
) -> Annotated[list[Annotated[int, "p(_) and _ >= pivot"]], "len(_) <= len(xs)"]:
    if not xs:
        return []
    rest = at_least(pivot, xs[1:])
    if xs[0] >= pivot:
        return [xs[0], *rest]
    return rest


def quicksort(
    xs: list[Annotated[int, "p(_)"]],
) -> Annotated[list[Annotated[int, "p(_)"]], "ascending(_)"]:
    if not xs:
        return []
    pivot = xs[0]
    lows = quicksort(below(pivot, xs[1:]))
    highs = quicksort(at_least(pivot, xs[1:]))
    return [*lows, pivot, *highs]


def glue(
    pivot: int,
    lows: Annotated[list[Annotated[int, "_ < pivot"]], "ascending(_)"],
    highs: Annotated[list[Annotated[int, "_ >= pivot"]], "ascending(_)"],
) -> Annotated[list[int], "ascending(_) and len(_) == len(lows) + len(highs) + 1"]:
    return [*lows, pivot, *highs]


def sort_naturals(
    xs: list[Annotated[int, "_ >= 0"]],
) -> Annotated[list[Annotated[int, "_ >= 0"]], "ascending(_)"]:
    return quicksort(xs)
