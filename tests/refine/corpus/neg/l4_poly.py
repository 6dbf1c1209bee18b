# expect: unsafe 24 28 32
"""L4: what a generic call does not give: a refinement the elements lack, an empty list."""

from typing import Annotated, TypeVar

T = TypeVar("T")


def first(xs: Annotated[list[T], "len(_) > 0"]) -> T:
    return xs[0]


def total(xs: list[Annotated[int, "_ > 0"]]) -> int:
    result = 0
    for x in xs:
        result += x
    return result


def positive_head(
    xs: Annotated[list[Annotated[int, "_ >= 0"]], "len(_) == 1"],
) -> Annotated[int, "_ > 0"]:
    # the elements are only known to be >= 0: xs = [0] gives 0
    return first(xs)


def any_head(xs: list[int]) -> int:
    return first(xs)


def total_of_any(xs: list[int]) -> int:
    return total(xs)
