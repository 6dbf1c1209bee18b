# expect: unsafe 8
"""L5: appending does not keep the length."""

from typing import Annotated


def snoc(xs: list[int], x: int) -> Annotated[list[int], "len(_) == len(xs)"]:
    return [*xs, x]
