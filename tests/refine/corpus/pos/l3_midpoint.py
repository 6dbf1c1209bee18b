# expect: safe
"""The fix for the midpoint overflow: `low + (high - low) // 2` stays within the bound
whenever the list does (its length is at most MAX)."""

from typing import Annotated

MAX = 10000


def search(xs: Annotated[list[int], "len(_) <= MAX"], target: int) -> int:
    low = 0
    high = len(xs) - 1
    while low <= high:
        middle: Annotated[int, "_ <= MAX"] = low + (high - low) // 2
        if xs[middle] < target:
            low = middle + 1
        elif xs[middle] > target:
            high = middle - 1
        else:
            return middle
    return -1
