# expect: unsupported 7 11
"""Mutual recursion needs a shared metric, which this version does not check."""

from typing import Annotated


def is_even(n: Annotated[int, "_ >= 0"]) -> bool:
    return True if n == 0 else is_odd(n - 1)


def is_odd(n: Annotated[int, "_ >= 0"]) -> bool:
    return False if n == 0 else is_even(n - 1)
