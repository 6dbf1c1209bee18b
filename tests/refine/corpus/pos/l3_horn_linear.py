# expect: safe
"""j == 3 * i + 1 is no qualifier's instance: z3's Horn solver (Spacer) finds it."""

from typing import Annotated


def steps(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == 3 * n + 1"]:
    i = 0
    j = 1
    while i < n:
        i = i + 1
        j = j + 3
    return j
