# expect: safe
"""L8, after LiquidHaskell's tests/ple/pos/Ple_sum.hs: with sumTo reflected, sumTo 5 == 15
is proved by evaluation (LiquidHaskell needs --fuel=5; its neg twin fails with --fuel=4.
Here a literal argument is evaluated to the end, up to 24 levels in the proof and 1,000 when
a counterexample is confirmed). Its two-argument sibling, Ple0.hs's `adder`, is
l8_ple_adder.py."""

from typing import Annotated

# @ reflect sum_to


def sum_to(n: int) -> int:
    return 0 if n <= 0 else n + sum_to(n - 1)


def test() -> Annotated[int, "_ == 15"]:
    return sum_to(5)
