# expect: safe
"""L1: constants have singleton refinements."""

from typing import Annotated


def forty_two() -> Annotated[int, "_ == 42"]:
    return 6 * 7
