# expect: unsupported 11 16
"""L5: `xs += ys` on a list extends it in place, so the caller's list changes too.

Treated as a rebinding, `unchanged` would be proved although `unchanged([])` returns 1.
"""

from typing import Annotated


def grow(xs: list[int]) -> int:
    xs += [1]
    return len(xs)


def double(xs: list[int]) -> int:
    xs *= 2
    return len(xs)


def unchanged(ys: list[int]) -> Annotated[int, "_ == 0"]:
    before = len(ys)
    grow(ys)
    return len(ys) - before
