# expect: safe
"""L6: functions passed as arguments (first-order use): a Callable parameter's refinements
are checked at each call of it and promised of its results; a function passed for it must fit."""

from collections.abc import Callable
from typing import Annotated


def twice(
    f: Callable[[Annotated[int, "_ > 0"]], Annotated[int, "_ > 0"]], x: Annotated[int, "_ > 0"]
) -> Annotated[int, "_ > 0"]:
    return f(f(x))


def total(f: Callable[[int], Annotated[int, "_ >= 0"]], xs: list[int]) -> Annotated[int, "_ >= 0"]:
    if not xs:
        return 0
    return f(xs[0]) + total(f, xs[1:])


def same_twice(f: Callable[[int], int], x: int) -> Annotated[int, "_ == 0"]:
    return f(x) - f(x)


def inc(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ > n"]:
    return n + 1


def square(n: int) -> Annotated[int, "_ >= 0"]:
    return n * n


def grow(x: Annotated[int, "_ > 0"]) -> Annotated[int, "_ > 0"]:
    return twice(inc, x)


def squares(xs: list[int]) -> Annotated[int, "_ >= 0"]:
    return total(square, xs)
