# expect: safe
"""A raise the refinement makes unreachable is dead code."""

from typing import Annotated


def digit(n: Annotated[int, "0 <= _ <= 9"]) -> str:
    if n < 0 or n > 9:
        raise ValueError("not a digit")
    return "0123456789"[n]
