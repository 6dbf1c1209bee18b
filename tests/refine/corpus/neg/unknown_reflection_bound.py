# expect: unknown 17 23
"""Unknown, never a guess: a counterexample would need more unfolding than the bound allows;
a true claim that needs induction (a recursive call) is not proved without one."""

from typing import Annotated

# @ reflect total


def total(n: int) -> int:
    if n <= 0:
        return 0
    return n + total(n - 1)


def small(n: Annotated[int, "_ > 2000"]) -> Annotated[int, "_ < 10"]:
    return total(n)


def no_hypothesis(n: Annotated[int, "_ >= 0"]) -> Annotated[bool, "2 * total(n) == n * (n + 1)"]:
    if n == 0:
        return True
    return n > 0
