# expect: safe
"""L5: the last index is len - 1."""

from typing import Annotated


def last(xs: Annotated[list[int], "len(_) >= 1"]) -> int:
    return xs[len(xs) - 1]
