# expect: safe
"""L5: a non-empty list has a first element."""

from typing import Annotated


def head(xs: Annotated[list[int], "len(_) > 0"]) -> int:
    return xs[0]


def head_or(xs: list[int], default: int) -> int:
    if xs:
        return xs[0]
    return default
