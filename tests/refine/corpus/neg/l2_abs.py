# expect: unsafe 9 10
"""L2: the comparison is the wrong way round."""

from typing import Annotated


def absolute(x: int) -> Annotated[int, "_ >= 0"]:
    if x > 0:
        return -x
    return x
