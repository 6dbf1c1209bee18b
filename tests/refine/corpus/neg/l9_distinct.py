# expect: unsafe 13 19
"""L9: distinct elements lost. Pushing an element the list may already hold, and gluing
two lists of distinct elements that may share one."""

from typing import Annotated

# @ relation differs(a: int, b: int): a != b


def push(
    x: int, ys: Annotated[list[int], "differs(_)"]
) -> Annotated[list[int], "differs(_) and len(_) == len(ys) + 1"]:
    return [x, *ys]


def glue(
    xs: Annotated[list[int], "differs(_)"], ys: Annotated[list[int], "differs(_)"]
) -> Annotated[list[int], "differs(_)"]:
    return [*xs, *ys]
