# expect: unsupported 11
"""Module-level code runs on import and is not checked: say so."""

from typing import Annotated


def positive(x: Annotated[int, "_ > 0"]) -> int:
    return x


print(positive(-1))
