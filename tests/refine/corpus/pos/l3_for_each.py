# expect: safe
"""for x in xs: a hidden position runs over the list; counts stay within its length."""

from typing import Annotated


def count_positive(xs: list[int]) -> Annotated[int, "0 <= _ <= len(xs)"]:
    count = 0
    for x in xs:
        if x > 0:
            count = count + 1
    return count


def length(s: str) -> Annotated[int, "_ == len(s)"]:
    n = 0
    for ch in s:
        assert len(ch) == 1
        n = n + 1
    return n
