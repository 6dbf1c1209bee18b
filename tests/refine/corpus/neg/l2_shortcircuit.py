# expect: unsafe 6
"""The operands in the wrong order: xs[0] runs before the length test."""


def first_positive(xs: list[int]) -> bool:
    return xs[0] > 0 and len(xs) > 0
