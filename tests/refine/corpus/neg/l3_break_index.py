# expect: unsafe 13
"""L3: after a search loop, the index is len(xs) when nothing was found."""


def first_negative(xs: list[int]) -> int:
    i = 0
    while i < len(xs):
        if xs[i] < 0:
            break
        i += 1
    # the loop also ends without a break, with i == len(xs):
    # reading xs[i] here is out of range then
    return xs[i]
