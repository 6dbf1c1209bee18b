# expect: safe
"""Assertions are obligations; after one, its condition is known."""

from typing import Annotated


def checked(x: Annotated[int, "_ > 5"]) -> int:
    y = x * 2
    assert y > 10
    assert y > 9, "follows from the first"
    return y
