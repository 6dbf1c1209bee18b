# expect: safe
"""L6, after the abstract-refinements tutorial's listMax (LiquidHaskell's NEU14 slides):
a predicate variable on list elements. list_max is proved once, for every p, and each call
instantiates p: the maximum of even numbers is even, of odd numbers odd, of RGB values an
RGB value."""

from typing import Annotated

# @ abstract p(int)


def list_max(xs: Annotated[list[Annotated[int, "p(_)"]], "len(_) > 0"]) -> Annotated[int, "p(_)"]:
    if len(xs) == 1:
        return xs[0]
    rest = list_max(xs[1:])
    if xs[0] > rest:
        return xs[0]
    return rest


def largest_even() -> Annotated[int, "_ % 2 == 0"]:
    return list_max([0, 200, 4000, 60])


def largest_odd() -> Annotated[int, "_ % 2 == 1"]:
    return list_max([1, 21, 4001, 961])


def brightest(
    xs: Annotated[list[Annotated[int, "0 <= _ < 256"]], "len(_) > 0"],
) -> Annotated[int, "0 <= _ < 256"]:
    return list_max(xs)


def keep_positive(
    xs: Annotated[list[Annotated[int, "p(_)"]], "len(_) > 0"],
) -> Annotated[list[Annotated[int, "p(_)"]], "len(_) == 1"]:
    return [list_max(xs)]
