# expect: unsupported 8
"""A metric that cannot be read makes its own function unsupported; the rest are checked."""

from typing import Annotated


def countdown(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == 0"]:
    # @ decreases n +
    if n == 0:
        return 0
    return countdown(n - 1)


def halve(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= 0"]:
    if n < 2:
        return n
    return halve(n // 2)
