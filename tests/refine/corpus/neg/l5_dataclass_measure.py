# expect: unsafe 21
"""L5: a measure over a dataclass, unfolded from its definition, and a wrong claim about it."""

from dataclasses import dataclass
from typing import Annotated

# @ measure width(r: Interval) -> int


@dataclass(frozen=True)
class Interval:
    lo: int
    hi: Annotated[int, "_ >= lo"]


def width(r: Interval) -> int:
    return r.hi - r.lo


def widened(r: Interval, n: int) -> Annotated[Interval, "width(_) >= width(r)"]:
    return Interval(r.lo - n, r.hi + n)
