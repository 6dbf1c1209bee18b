# expect: safe
"""Python's % takes the sign of the divisor."""

from typing import Annotated


def last_digit(n: int) -> Annotated[int, "0 <= _ < 10"]:
    return n % 10


def wrap(n: int, size: Annotated[int, "_ > 0"]) -> Annotated[int, "0 <= _ < size"]:
    return n % size
