# expect: safe
"""L3: range with a constant step, forwards and backwards."""

from typing import Annotated


def pairs(xs: list[int]) -> int:
    total = 0
    for i in range(0, len(xs) - 1, 2):
        total += xs[i] * xs[i + 1]
    return total


def backwards(xs: list[int]) -> int:
    total = 0
    for i in range(len(xs) - 1, -1, -1):
        total += xs[i]
    return total


def halves(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= 0"]:
    count = 0
    for _ in range(n, 0, -2):
        count += 1
    return count
