# expect: safe
"""Python's // rounds down; a positive divisor keeps a natural number natural."""

from typing import Annotated


def half(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "0 <= _ <= n"]:
    return n // 2


def average(total: Annotated[int, "_ >= 0"], count: Annotated[int, "_ > 0"]) -> int:
    return total // count
