# expect: unsafe 23 27
"""L6: what a relation variable gives back at a call is only what the caller's relation
gives: rest of a sorted list is sorted, not strictly increasing (which pair rest keeps is
its own business, so that failure is unknown, not a counterexample); and rest needs a
non-empty list."""

from typing import Annotated

# @ abstract r(int, int)
# @ relation ascending(a: int, b: int): a <= b
# @ relation increasing(a: int, b: int): a < b


def rest(
    xs: Annotated[list[int], "r(_) and len(_) > 0"],
) -> Annotated[list[int], "r(_) and len(_) == len(xs) - 1"]:
    return xs[1:]


def not_strict(
    xs: Annotated[list[int], "ascending(_) and len(_) > 2"],
) -> Annotated[list[int], "increasing(_)"]:
    return rest(xs)


def maybe_empty(xs: Annotated[list[int], "ascending(_)"]) -> Annotated[list[int], "ascending(_)"]:
    return rest(xs)
