# expect: safe
"""L3: a break leaves the loop; the code after it runs from the break too."""


def find(xs: list[int]) -> int:
    for i in range(len(xs)):
        if xs[i] == 0:
            break
    return 0
