# expect: unsafe 22 26
"""L6: list_max gives back what every element has, no more; and it needs a non-empty list
whatever p is."""

from typing import Annotated

# @ abstract p(int)


def list_max(xs: Annotated[list[Annotated[int, "p(_)"]], "len(_) > 0"]) -> Annotated[int, "p(_)"]:
    if len(xs) == 1:
        return xs[0]
    rest = list_max(xs[1:])
    if xs[0] > rest:
        return xs[0]
    return rest


def positive(
    xs: Annotated[list[Annotated[int, "_ >= 0"]], "len(_) > 0"],
) -> Annotated[int, "_ > 0"]:
    return list_max(xs)


def maybe_empty(xs: list[Annotated[int, "_ > 0"]]) -> Annotated[int, "_ > 0"]:
    return list_max(xs)
