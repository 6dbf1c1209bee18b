# expect: safe
"""L4: generic functions that recurse and call each other; element refinements flow through."""

from typing import Annotated, TypeVar

T = TypeVar("T")


def append(xs: list[T], ys: list[T]) -> Annotated[list[T], "len(_) == len(xs) + len(ys)"]:
    if not xs:
        return ys
    return [xs[0], *append(xs[1:], ys)]


def reverse(xs: list[T]) -> Annotated[list[T], "len(_) == len(xs)"]:
    if not xs:
        return xs
    return append(reverse(xs[1:]), [xs[0]])


def prefix(xs: list[T], n: Annotated[int, "_ >= 0"]) -> Annotated[list[T], "len(_) <= n"]:
    if n == 0 or not xs:
        return []
    return [xs[0], *prefix(xs[1:], n - 1)]


def push(x: T, xs: list[T]) -> Annotated[list[T], "len(_) == len(xs) + 1"]:
    return [x, *xs]


def only_positive(xs: list[int]) -> list[Annotated[int, "_ > 0"]]:
    if not xs:
        return []
    rest = only_positive(xs[1:])
    if xs[0] > 0:
        return [xs[0], *rest]
    return rest


def joined(
    small: list[Annotated[int, "_ > 0"]], large: list[Annotated[int, "_ > 5"]]
) -> list[Annotated[int, "_ > 0"]]:
    return append(small, large)


def backwards(xs: list[Annotated[int, "_ >= 0"]]) -> list[Annotated[int, "_ >= 0"]]:
    return reverse(xs)


def pushed(
    x: Annotated[int, "_ > 0"], xs: list[Annotated[int, "_ > 0"]]
) -> list[Annotated[int, "_ > 0"]]:
    return push(x, xs)


def head_of_two(xs: list[Annotated[int, "_ < 0"]]) -> Annotated[int, "_ < 0"]:
    firsts = prefix(xs, 2)
    if not firsts:
        return -1
    return firsts[0]
