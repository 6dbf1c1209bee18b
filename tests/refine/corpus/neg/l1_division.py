# expect: unsafe 6
"""A count that may be zero: ZeroDivisionError."""


def average(total: int, count: int) -> int:
    return total // count
