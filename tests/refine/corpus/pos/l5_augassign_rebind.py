# expect: safe
"""L5: on ints, strings and tuples `+=` builds a new value and rebinds the name."""

from typing import Annotated


def longer(s: str) -> Annotated[str, "len(_) == len(s) + 2"]:
    t = s
    t += "ab"
    return t


def bump(n: int) -> Annotated[int, "_ == 2 * n + 2"]:
    m = n
    m += 1
    m *= 2
    return m
