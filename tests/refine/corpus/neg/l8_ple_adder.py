# expect: unsafe 23 29
"""L8, after LiquidHaskell's tests/ple/neg/Ple0.hs: adder(5, 6) == 12 is refuted by
evaluation; a false lemma about plus, true for x = 0 and x = 1, gets a counterexample its
definition confirms."""

from typing import Annotated

# @ reflect adder
# @ reflect plus


def adder(x: int, y: int) -> int:
    return x + y


def plus(x: Annotated[int, "_ >= 0"], y: int) -> int:
    if x == 0:
        return y
    return 1 + plus(x - 1, y)


def prop() -> Annotated[bool, "adder(5, 6) == 12"]:
    return True


def plus_squares(x: Annotated[int, "_ >= 0"], y: int) -> Annotated[bool, "plus(x, y) == y + x * x"]:
    if x == 0:
        return True
    return plus_squares(x - 1, y)
