# expect: safe
"""Binary search: every probe is in range (the invariant is given)."""


def search(xs: list[int], target: int) -> int:
    low = 0
    high = len(xs)
    while low < high:
        # @ invariant 0 <= low <= high <= len(xs)
        middle = (low + high) // 2
        if xs[middle] < target:
            low = middle + 1
        else:
            high = middle
    return low
