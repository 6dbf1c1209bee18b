# expect: unsafe 13 19 25
"""L9: appending breaks the order; the head of a sorted list is not the largest; a merge
that forgets to compare."""

from typing import Annotated

# @ relation ascending(a: int, b: int): a <= b


def push_back(
    x: int, ys: Annotated[list[int], "ascending(_)"]
) -> Annotated[list[int], "ascending(_)"]:
    return [*ys, x]


def largest(
    xs: Annotated[list[int], "ascending(_) and len(_) > 0"],
) -> Annotated[int, "_ >= xs[len(xs) - 1]"]:
    return xs[0]


def glue(
    xs: Annotated[list[int], "ascending(_)"], ys: Annotated[list[int], "ascending(_)"]
) -> Annotated[list[int], "ascending(_)"]:
    return [*xs, *ys]
