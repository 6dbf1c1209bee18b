# expect: unsafe 12 26
"""L6: calling a function parameter outside its parameter refinement; passing a function
that does not keep the promise of the Callable it is passed for."""

from collections.abc import Callable
from typing import Annotated


def apply(
    f: Callable[[Annotated[int, "_ > 0"]], Annotated[int, "_ > 0"]], x: int
) -> Annotated[int, "_ > 0"]:
    return f(x)


def pred(n: int) -> Annotated[int, "_ == n - 1"]:
    return n - 1


def shrink(
    f: Callable[[Annotated[int, "_ > 0"]], Annotated[int, "_ > 0"]], x: Annotated[int, "_ > 0"]
) -> Annotated[int, "_ > 0"]:
    return f(x)


def use(x: Annotated[int, "_ > 0"]) -> Annotated[int, "_ > 0"]:
    return shrink(pred, x)
