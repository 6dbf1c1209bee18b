# expect: unsafe 8
"""L2: without high >= low, clamp cannot keep its promise."""

from typing import Annotated


def clamp(x: int, low: int, high: int) -> Annotated[int, "low <= _ <= high"]:
    return max(low, min(x, high))
