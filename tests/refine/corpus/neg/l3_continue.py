# expect: unsafe 13
"""L3: continue skips non-positive items, but an empty or all-negative list sums to zero."""

from typing import Annotated


def sum_positive(xs: list[int]) -> Annotated[int, "_ > 0"]:
    total = 0
    for x in xs:
        if x <= 0:
            continue
        total += x
    return total
