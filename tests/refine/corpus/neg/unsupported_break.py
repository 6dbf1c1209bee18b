# expect: unsupported 8
"""break and continue are not in the loop subset yet."""


def find(xs: list[int]) -> int:
    for i in range(len(xs)):
        if xs[i] == 0:
            break
    return 0
