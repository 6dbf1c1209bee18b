# expect: safe
"""L1: a call is checked against the callee's signature, and its result is refined."""

from typing import Annotated


def inc(x: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == x + 1"]:
    return x + 1


def twice(y: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == y + 2"]:
    return inc(inc(y))
