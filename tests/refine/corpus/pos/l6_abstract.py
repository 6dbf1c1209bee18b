# expect: safe
"""L6: abstract refinements: maximum is checked once for every predicate p, then used for many."""

from typing import Annotated

# @ abstract p(int)


def maximum(a: Annotated[int, "p(_)"], b: Annotated[int, "p(_)"]) -> Annotated[int, "p(_)"]:
    if a > b:
        return a
    return b


def bounded_max(
    a: Annotated[int, "p(_) and _ < 100"], b: Annotated[int, "p(_) and _ < 100"]
) -> Annotated[int, "p(_) and _ < 100"]:
    return maximum(a, b)


def max_positive(x: Annotated[int, "_ > 0"], y: Annotated[int, "_ > 0"]) -> Annotated[int, "_ > 0"]:
    return maximum(x, y)


def max_negative(x: Annotated[int, "_ < 0"], y: Annotated[int, "_ < 0"]) -> Annotated[int, "_ < 0"]:
    return maximum(x, y)


def max_even(x: int, y: int) -> Annotated[int, "_ % 2 == 0"]:
    return maximum(2 * x, 2 * y)


def max3(
    a: Annotated[int, "_ > 0"], b: Annotated[int, "_ > 0"], c: Annotated[int, "_ > 0"]
) -> Annotated[int, "_ > 0"]:
    return maximum(a, maximum(b, c))


def small_max(x: Annotated[int, "0 <= _ < 10"]) -> Annotated[int, "0 <= _ < 10"]:
    return bounded_max(x, 5)
