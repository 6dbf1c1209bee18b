# expect: safe
"""L5: a frozen dataclass whose field refinements are invariants, and a measure over it."""

from dataclasses import dataclass
from typing import Annotated

# @ measure width(r: Interval) -> int


@dataclass(frozen=True)
class Interval:
    lo: int
    hi: Annotated[int, "_ >= lo"]


def width(r: Interval) -> int:
    return r.hi - r.lo


def make(a: int, b: int) -> Interval:
    if a <= b:
        return Interval(a, b)
    return Interval(b, a)


def nonnegative_width(r: Interval) -> Annotated[int, "_ >= 0"]:
    return r.hi - r.lo


def widened(
    r: Interval, n: Annotated[int, "_ >= 0"]
) -> Annotated[Interval, "width(_) == width(r) + 2 * n"]:
    return Interval(r.lo - n, r.hi + n)


def shift(r: Interval, d: int) -> Annotated[Interval, "_.lo == r.lo + d and width(_) == width(r)"]:
    return Interval(r.lo + d, r.hi + d)
