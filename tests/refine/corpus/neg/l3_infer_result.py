# expect: unsafe 15
"""L3: what is inferred is true, and not more: total(0) is 0, not more than 0."""

from typing import Annotated


def total(n: Annotated[int, "_ >= 0"]) -> int:
    if n == 0:
        return 0
    return n + total(n - 1)


def more(n: Annotated[int, "_ >= 0"]) -> int:
    result = total(n)
    assert result > n
    return result
