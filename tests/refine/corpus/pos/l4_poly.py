# expect: safe
"""L4: generic functions over a TypeVar, checked once; refinements come back per call."""

from typing import Annotated, TypeVar

T = TypeVar("T")


def first(xs: Annotated[list[T], "len(_) > 0"]) -> T:
    return xs[0]


def choose(a: T, b: T, left: bool) -> T:
    if left:
        return a
    return b


def ident(x: T) -> T:
    return x


def rest(xs: Annotated[list[T], "len(_) > 0"]) -> Annotated[list[T], "len(_) == len(xs) - 1"]:
    return xs[1:]


def positive_head(
    xs: Annotated[list[Annotated[int, "_ > 0"]], "len(_) > 0"],
) -> Annotated[int, "_ > 0"]:
    return first(xs)


def at_least_ten(
    x: Annotated[int, "_ >= 10"], y: Annotated[int, "_ >= 20"], left: bool
) -> Annotated[int, "_ >= 10"]:
    return choose(x, y, left)


def same(n: int) -> Annotated[int, "_ == n"]:
    return ident(n)


def same_word(s: Annotated[str, "len(_) == 3"]) -> Annotated[str, "len(_) == 3"]:
    return ident(s)


def positive_rest(
    xs: Annotated[list[Annotated[int, "_ > 0"]], "len(_) > 0"],
) -> list[Annotated[int, "_ > 0"]]:
    return rest(xs)


def total(xs: list[Annotated[int, "_ > 0"]]) -> Annotated[int, "_ >= 0"]:
    result = 0
    for x in xs:
        result += x
    return result


def second_positive(
    xs: Annotated[list[Annotated[int, "_ > 0"]], "len(_) > 1"],
) -> Annotated[int, "_ > 0"]:
    return first(rest(xs))
