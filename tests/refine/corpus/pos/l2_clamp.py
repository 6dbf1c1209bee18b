# expect: safe
"""L2: clamping with min and max and a conditional expression."""

from typing import Annotated


def clamp(x: int, low: int, high: Annotated[int, "_ >= low"]) -> Annotated[int, "low <= _ <= high"]:
    return low if x < low else min(x, high)
