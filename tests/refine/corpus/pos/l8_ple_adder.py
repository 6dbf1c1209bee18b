# expect: safe
"""L8, after LiquidHaskell's tests/ple/pos/Ple0.hs: a reflected function of two parameters.
adder(5, 6) == 11 is proved by evaluation; plus, recursive on its first parameter, is
evaluated the same way, and an inductive lemma shows it adds."""

from typing import Annotated

# @ reflect adder
# @ reflect plus


def adder(x: int, y: int) -> int:
    return x + y


def plus(x: Annotated[int, "_ >= 0"], y: int) -> int:
    if x == 0:
        return y
    return 1 + plus(x - 1, y)


def prop() -> Annotated[bool, "adder(5, 6) == 11"]:
    return True


def eleven() -> Annotated[int, "_ == 11"]:
    return plus(5, 6)


def plus_zero(x: Annotated[int, "_ >= 0"]) -> Annotated[bool, "plus(x, 0) == x"]:
    if x == 0:
        return True
    return plus_zero(x - 1)


def plus_adds(x: Annotated[int, "_ >= 0"], y: int) -> Annotated[bool, "plus(x, y) == adder(x, y)"]:
    if x == 0:
        return True
    return plus_adds(x - 1, y)
