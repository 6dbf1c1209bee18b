# expect: safe
"""Without `-> T` the result type is read off the returns, and its refinement inferred."""

from dataclasses import dataclass
from typing import Annotated


@dataclass(frozen=True)
class Point:
    x: int
    y: int


def total(n: Annotated[int, "_ >= 0"]):
    if n == 0:
        return 0
    return n + total(n - 1)


def at_least_n(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= n"]:
    return total(n)


def origin():
    return Point(0, 0)


def answer(flag: bool):
    if flag:
        return "yes"
    return "no"


def shout(flag: bool) -> Annotated[str, "len(_) > 0"]:
    return answer(flag)


def is_small(n: int):
    return n < 10


def keep_small(n: int) -> int:
    if is_small(n):
        return n
    return 0


def firsts(xs: list[int]):
    out: list[int] = []
    if xs:
        out = [xs[0]]
    return out
