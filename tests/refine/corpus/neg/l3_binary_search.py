# expect: unsafe 10
"""high starts at len(xs) but the loop also runs when low == high."""


def search(xs: list[int], target: int) -> int:
    low = 0
    high = len(xs)
    while low <= high:
        middle = (low + high) // 2
        if xs[middle] < target:
            low = middle + 1
        else:
            high = middle - 1
    return low
