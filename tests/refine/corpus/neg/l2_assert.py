# expect: unsafe 9
"""An assertion that fails for x = 5."""

from typing import Annotated


def checked(x: Annotated[int, "_ >= 5"]) -> int:
    y = x * 2
    assert y > 10
    return y
