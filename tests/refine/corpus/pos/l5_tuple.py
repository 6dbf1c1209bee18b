# expect: safe
"""Tuples: built, unpacked and indexed by constants."""

from typing import Annotated


def remainder(
    a: Annotated[int, "_ >= 0"], b: Annotated[int, "_ > 0"]
) -> Annotated[int, "0 <= _ < b"]:
    q, r = (a // b, a % b)
    pair = (q, r)
    return pair[1]
