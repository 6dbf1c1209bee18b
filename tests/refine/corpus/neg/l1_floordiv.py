# expect: unsafe 8
"""Python's // rounds towards minus infinity: -7 // 2 is -4, below -3."""

from typing import Annotated


def half(n: int) -> Annotated[int, "2 * _ >= n - 1"]:
    return n // 2 - 1
