# expect: unsafe 16
"""Binary search's midpoint: `low + high` overflows a bounded int once the list has more
than MAX + 1 elements (the bug found in Java's binary search in 2006). The witness needs a
list of 10,002 elements, which the sequence solver alone does not reach in time; the
portfolio describes the list by its length and reads (see fmlab.refine._portfolio)."""

from typing import Annotated

MAX = 10000


def search(xs: list[int], target: int) -> int:
    low = 0
    high = len(xs) - 1
    while low <= high:
        total: Annotated[int, "_ <= MAX"] = low + high
        middle = total // 2
        if xs[middle] < target:
            low = middle + 1
        elif xs[middle] > target:
            high = middle - 1
        else:
            return middle
    return -1
