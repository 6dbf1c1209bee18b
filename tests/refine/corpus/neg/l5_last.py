# expect: unsafe 8
"""L5: off by one: xs[len(xs)] is always out of range."""

from typing import Annotated


def last(xs: Annotated[list[int], "len(_) >= 1"]) -> int:
    return xs[len(xs)]
