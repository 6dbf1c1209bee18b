# expect: safe
"""Nested loops over a matrix stored row by row."""

from typing import Annotated


def trace(cells: list[int], size: Annotated[int, "_ >= 0 and len(cells) == _ * _"]) -> int:
    total = 0
    for i in range(size):
        total = total + cells[i * size + i]
    return total
