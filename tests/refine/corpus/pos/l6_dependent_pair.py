# expect: safe
"""L6, after LiquidHaskell's tests/absref/pos/Deppair0.hs and Deptup0.hs: a predicate
variable of two arguments relates the components of a pair. make_pair is checked for every
r; at the call r becomes "the pair passed in", so (x, x + 1) comes back ordered."""

from typing import Annotated

# @ abstract r(int, int)


def make_pair(x: int, y: Annotated[int, "r(x, _)"]) -> Annotated[tuple[int, int], "r(_[0], _[1])"]:
    return (x, y)


def incr(x: int) -> Annotated[int, "_ == x + 1"]:
    return x + 1


def baz(x: int) -> Annotated[tuple[int, int], "_[0] < _[1]"]:
    return make_pair(x, incr(x))


def check(n: int) -> Annotated[bool, "_"]:
    pair = baz(n)
    return pair[0] < pair[1]


def same(x: int) -> Annotated[tuple[int, int], "_[0] == _[1]"]:
    return make_pair(x, x)
