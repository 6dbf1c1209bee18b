# expect: unsafe 9
"""L2: the base case breaks the stronger promise _ > n."""

from typing import Annotated


def total(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ > n"]:
    if n == 0:
        return 0
    return n + total(n - 1)
