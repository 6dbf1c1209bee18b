# expect: unsupported 10 11
"""Statements in a class body run when the class is defined; the checker does not run them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    size: int
    LIMIT = 3
    print("defined")


def grow(n: int) -> int:
    return n + 1
