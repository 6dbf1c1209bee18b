# expect: safe
"""A user measure over lists, with an assumed function that preserves it."""

from typing import Annotated

# @ measure sm(xs: list[int]) -> int
# @ assume bump(xs: list[int]) -> {r: list[int] | len(r) == len(xs) and sm(r) == sm(xs) + len(xs)}


def sm(xs: list[int]) -> int:
    return sum(xs)


def bump(xs: list[int]) -> list[int]:
    return [x + 1 for x in xs]


def bump_twice(xs: list[int]) -> Annotated[list[int], "sm(_) == sm(xs) + 2 * len(xs)"]:
    ys = bump(xs)
    assert len(ys) == len(xs)
    return bump(ys)
