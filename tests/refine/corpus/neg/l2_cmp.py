# expect: unsafe 12
"""L2: the last case returns 2."""

from typing import Annotated


def compare(a: int, b: int) -> Annotated[int, "-1 <= _ <= 1"]:
    if a < b:
        return -1
    if a == b:
        return 0
    return 2
