# expect: unsafe 17
"""L5: a measure the checker does not unfold is any function, so the failure assumes a value.

`total([])` is 0 in Python, but nothing told the checker so.
"""

from typing import Annotated

# @ measure total(xs: list[int]) -> int


def total(xs: list[int]) -> int:
    return sum(xs)


def empty_total(xs: Annotated[list[int], "len(_) == 0"]) -> Annotated[int, "_ == 0"]:
    return total(xs)
