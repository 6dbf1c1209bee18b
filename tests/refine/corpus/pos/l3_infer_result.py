# expect: safe
"""L3: total's result is not refined; the checker infers _ >= n, and callers rely on it."""

from typing import Annotated


def total(n: Annotated[int, "_ >= 0"]) -> int:
    if n == 0:
        return 0
    return n + total(n - 1)


def at_least(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= n"]:
    return total(n)


def rest(xs: list[int]) -> list[int]:
    return xs[1:]


def shorter(xs: list[int]) -> Annotated[int, "_ <= len(xs)"]:
    return len(rest(xs))
