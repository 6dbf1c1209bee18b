# expect: unsafe 25 29
"""L6: an abstract refinement gives back only what the arguments had in common."""

from typing import Annotated

# @ abstract p(int)


def maximum(a: Annotated[int, "p(_)"], b: Annotated[int, "p(_)"]) -> Annotated[int, "p(_)"]:
    if a > b:
        return a
    return b


def bounded_max(
    a: Annotated[int, "p(_) and _ < 100"], b: Annotated[int, "p(_) and _ < 100"]
) -> Annotated[int, "p(_) and _ < 100"]:
    if a > b:
        return a
    return b


def max_nonnegative(x: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ > 0"]:
    # p is instantiated with "equal to x": the result is x, which may be 0
    return maximum(x, x)


def too_big(x: int) -> int:
    return bounded_max(x, 5)
