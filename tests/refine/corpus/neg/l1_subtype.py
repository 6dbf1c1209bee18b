# expect: unsafe 12
"""L1: a natural number is not always positive."""

from typing import Annotated


def pos_id(p: Annotated[int, "_ > 0"]) -> Annotated[int, "_ > 0"]:
    return p


def nat_to_pos(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ > 0"]:
    return pos_id(n)
