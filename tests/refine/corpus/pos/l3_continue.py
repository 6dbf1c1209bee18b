# expect: safe
"""L3: continue skips the rest of an iteration; the loop still goes round."""

from typing import Annotated


def sum_positive(xs: list[int]) -> Annotated[int, "_ >= 0"]:
    total = 0
    for x in xs:
        if x <= 0:
            continue
        total += x
    return total


def count_small(xs: list[int], limit: int) -> Annotated[int, "0 <= _ <= len(xs)"]:
    count = 0
    i = 0
    while i < len(xs):
        i += 1
        if xs[i - 1] >= limit:
            continue
        count += 1
    return count
