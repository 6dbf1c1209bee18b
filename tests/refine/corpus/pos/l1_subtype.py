# expect: safe
"""L1: subtyping is implication: a positive number is a natural number."""

from typing import Annotated


def nat_id(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ >= 0"]:
    return n


def pos_to_nat(p: Annotated[int, "_ > 0"]) -> Annotated[int, "_ >= 0"]:
    return nat_id(p)
