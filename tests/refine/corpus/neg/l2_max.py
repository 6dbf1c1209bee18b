# expect: unsafe 14
"""L2: an elif that forgets one case."""

from typing import Annotated


def maximum(a: int, b: int) -> Annotated[int, "_ >= a and _ >= b"]:
    if a > b:
        result = a
    elif a < b:
        result = b
    else:
        result = a - 1
    return result
