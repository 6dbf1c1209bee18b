# expect: safe
"""L6, after the abstract-refinements lectures' List <p> (IncrList, DecrList): a predicate
variable of two arguments applied to a list, r(xs), relates every element to every later
one. Functions generic in r keep it (r is not assumed transitive); each caller's own
relation instantiates r: sorted lists stay sorted, strictly increasing ones strictly so."""

from typing import Annotated

# @ abstract r(int, int)
# @ relation ascending(a: int, b: int): a <= b
# @ relation increasing(a: int, b: int): a < b
# @ relation descending(a: int, b: int): a >= b


def rest(
    xs: Annotated[list[int], "r(_) and len(_) > 0"],
) -> Annotated[list[int], "r(_) and len(_) == len(xs) - 1"]:
    return xs[1:]


def take(
    xs: Annotated[list[int], "r(_)"], n: Annotated[int, "_ >= 0"]
) -> Annotated[list[int], "r(_) and len(_) <= len(xs)"]:
    return xs[:n]


def ends(xs: Annotated[list[int], "r(_) and len(_) > 1"]) -> Annotated[list[int], "r(_)"]:
    return [xs[0], xs[len(xs) - 1]]


def sorted_rest(
    xs: Annotated[list[int], "ascending(_) and len(_) > 0"],
) -> Annotated[list[int], "ascending(_)"]:
    return rest(xs)


def strict_prefix(
    xs: Annotated[list[int], "increasing(_)"],
) -> Annotated[list[int], "increasing(_)"]:
    return take(xs, 2)


def falling_ends(
    xs: Annotated[list[int], "descending(_) and len(_) > 1"],
) -> Annotated[list[int], "descending(_)"]:
    return ends(xs)
