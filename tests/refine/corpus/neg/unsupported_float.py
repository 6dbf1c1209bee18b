# expect: unsupported 6
"""Floats are opaque: no arithmetic on them rather than wrong arithmetic."""


def half(x: float) -> float:
    return x / 2
