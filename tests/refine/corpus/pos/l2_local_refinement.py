# expect: safe
"""A refined local variable is checked where it is assigned."""

from typing import Annotated


def diff(a: int, b: Annotated[int, "_ <= a"]) -> int:
    d: Annotated[int, "_ >= 0"] = a - b
    return d
