# expect: unsafe 8
"""With a negative divisor the remainder is not positive."""

from typing import Annotated


def wrap(n: int, size: Annotated[int, "_ != 0"]) -> Annotated[int, "0 <= _"]:
    return n % size
