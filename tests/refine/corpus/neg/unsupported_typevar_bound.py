# expect: unsupported 6 9
"""A TypeVar with a bound is not a plain type variable: neither it nor its users are checked."""

from typing import TypeVar

N = TypeVar("N", bound=int)


def double(x: N) -> int:
    return x + x
