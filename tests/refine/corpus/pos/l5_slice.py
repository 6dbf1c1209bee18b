# expect: safe
"""Slices clamp their bounds, so they never fail; their length is known."""

from typing import Annotated


def prefix(
    xs: list[int], n: Annotated[int, "0 <= _ <= len(xs)"]
) -> Annotated[list[int], "len(_) == n"]:
    return xs[:n]


def tail(xs: Annotated[list[int], "len(_) > 0"]) -> Annotated[list[int], "len(_) == len(xs) - 1"]:
    return xs[1:]


def drop_last(s: str) -> Annotated[str, "len(_) <= len(s)"]:
    return s[:-1]
