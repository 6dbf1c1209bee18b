# expect: safe
"""L9, after LiquidHaskell's lists of distinct elements: a relation that is not transitive
(``a != b``), stated directly. Pushing an element no other one equals keeps the list's
elements distinct; removing an element gives a list none of whose elements equals it; and
so removing duplicates gives distinct elements."""

from typing import Annotated

# @ abstract p(int)
# @ relation differs(a: int, b: int): a != b


def push(
    x: int, ys: Annotated[list[Annotated[int, "_ != x"]], "differs(_)"]
) -> Annotated[list[int], "differs(_) and len(_) == len(ys) + 1"]:
    return [x, *ys]


def without(
    x: int, ys: Annotated[list[Annotated[int, "p(_)"]], "differs(_)"]
) -> Annotated[list[Annotated[int, "p(_) and _ != x"]], "differs(_) and len(_) <= len(ys)"]:
    if not ys:
        return []
    rest = without(x, ys[1:])
    if ys[0] == x:
        return rest
    return [ys[0], *rest]


def dedupe(xs: list[int]) -> Annotated[list[int], "differs(_)"]:
    if not xs:
        return []
    return push(xs[0], without(xs[0], dedupe(xs[1:])))
