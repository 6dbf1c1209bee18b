# expect: unsupported 14
"""A dataclass that is not frozen may be mutated through an alias: its fields are not read."""

from dataclasses import dataclass


@dataclass
class Point:
    x: int
    y: int


def norm1(p: Point) -> int:
    return abs(p.x) + abs(p.y)
