# expect: unsafe 10
"""L7: the default metric is the first int parameter, i, which grows: no termination."""

from typing import Annotated


def count_up(i: Annotated[int, "_ >= 0"], n: Annotated[int, "_ >= i"]) -> Annotated[int, "_ == n"]:
    if i == n:
        return i
    return count_up(i + 1, n)
