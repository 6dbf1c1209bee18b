# expect: unsafe 9 16
"""L3: a stride of two reads one past the end of an odd-length list; counting down from len(xs)."""


def pairs(xs: list[int]) -> int:
    total = 0
    for i in range(0, len(xs), 2):
        # xs[i + 1] is out of range for the last i of an odd-length list
        total += xs[i] * xs[i + 1]
    return total


def backwards(xs: list[int]) -> int:
    total = 0
    for i in range(len(xs), 0, -1):
        total += xs[i]
    return total
