# expect: safe
"""L8: reflection. A recursive function used in refinements is unfolded as a proof needs
(proof by logical evaluation), and a recursive function with a refined result is an
inductive proof: its recursive call is the induction hypothesis."""

from typing import Annotated

# @ measure total(n: int) -> int
# @ reflect fib


def total(n: int) -> int:
    if n <= 0:
        return 0
    return n + total(n - 1)


def fib(n: Annotated[int, "_ >= 0"]) -> int:
    if n <= 1:
        return n
    return fib(n - 1) + fib(n - 2)


def six() -> Annotated[int, "_ == 6"]:
    return total(3)


def fib_ten() -> Annotated[int, "_ == 55"]:
    return fib(10)


def gauss(n: Annotated[int, "_ >= 0"]) -> Annotated[bool, "2 * total(n) == n * (n + 1)"]:
    if n == 0:
        return True
    return gauss(n - 1)


def total_grows(n: Annotated[int, "_ >= 0"]) -> Annotated[bool, "total(n) >= n"]:
    if n == 0:
        return True
    return total_grows(n - 1)


def fib_positive(n: Annotated[int, "_ >= 1"]) -> Annotated[bool, "fib(n) >= 1"]:
    if n <= 2:
        return True
    return fib_positive(n - 1)
