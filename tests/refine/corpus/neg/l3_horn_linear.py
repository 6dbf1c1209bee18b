# expect: unsafe 14
"""The result is 28 when n is 9: Spacer shows a failure exists, deeper unrolling finds it."""

from typing import Annotated


def steps(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ != 28"]:
    i = 0
    j = 1
    while i < n:
        i = i + 1
        j = j + 3
    assert j == 3 * i + 1
    return j
