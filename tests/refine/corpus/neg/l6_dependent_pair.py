# expect: unsafe 23 27
"""L6, after LiquidHaskell's tests/absref/neg/Deppair0.hs: the pair (x, x + 1) is ordered
one way only; and what a caller passes must satisfy the concrete part of a precondition."""

from typing import Annotated

# @ abstract r(int, int)


def make_pair(x: int, y: Annotated[int, "r(x, _)"]) -> Annotated[tuple[int, int], "r(_[0], _[1])"]:
    return (x, y)


def bounded_pair(
    x: int, y: Annotated[int, "r(x, _) and _ < 100"]
) -> Annotated[tuple[int, int], "r(_[0], _[1]) and _[1] < 100"]:
    return (x, y)


def check(n: int) -> Annotated[bool, "_"]:
    pair = make_pair(n, n + 1)
    # LiquidHaskell's neg twin asserts x > y
    return pair[0] > pair[1]


def too_big(x: int) -> Annotated[tuple[int, int], "_[0] < _[1]"]:
    return bounded_pair(x, x + 1)
