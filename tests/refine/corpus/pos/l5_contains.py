# expect: safe
"""Membership: a list that contains something is not empty."""

from typing import Annotated


def nonempty_if_found(xs: list[int], x: int) -> Annotated[int, "_ >= 0"]:
    if x in xs:
        return len(xs) - 1
    return 0
