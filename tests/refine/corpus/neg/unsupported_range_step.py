# expect: unsupported 6
"""A range step that is not a constant: its sign decides the loop's direction."""


def stride(xs: list[int], k: int) -> int:
    for _i in range(0, len(xs), k):
        pass
    return 0
