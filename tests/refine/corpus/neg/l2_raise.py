# expect: unsafe 7
"""A raise that is reachable counts as a failure."""


def digit(n: int) -> str:
    if n < 0 or n > 9:
        raise ValueError("not a digit")
    return "0123456789"[n]
