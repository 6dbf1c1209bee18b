# expect: unsafe 20 24
"""L4: a generic result's elements come from its arguments, and no more is known of them."""

from typing import Annotated, TypeVar

T = TypeVar("T")


def push(x: T, xs: list[T]) -> Annotated[list[T], "len(_) == len(xs) + 1"]:
    return [x, *xs]


def append(xs: list[T], ys: list[T]) -> Annotated[list[T], "len(_) == len(xs) + len(ys)"]:
    if not xs:
        return ys
    return [xs[0], *append(xs[1:], ys)]


def pushed(x: int, xs: list[Annotated[int, "_ > 0"]]) -> list[Annotated[int, "_ > 0"]]:
    return push(x, xs)


def joined(xs: list[Annotated[int, "_ > 0"]], ys: list[int]) -> list[Annotated[int, "_ > 0"]]:
    return append(xs, ys)
