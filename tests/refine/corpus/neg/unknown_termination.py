# expect: unknown 7
"""Every call lowers one of the sizes, but no order of them lowers at every call."""

from typing import Annotated


def seesaw(a: Annotated[int, "_ >= 0"], b: Annotated[int, "_ >= 0"], up: bool) -> int:
    if a == 0 or b == 0:
        return 0
    if up:
        return seesaw(a - 1, b + 1, False)
    return seesaw(a + 1, b - 1, True)
