# expect: unsafe 11
"""A path that falls off the end returns None, not an int."""

from typing import Annotated


def sign(x: int) -> Annotated[int, "-1 <= _ <= 1"]:
    if x > 0:
        return 1
    elif x < 0:
        return -1
