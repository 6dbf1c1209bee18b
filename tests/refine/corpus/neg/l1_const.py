# expect: unsafe 8
"""L1: 6 * 7 is not 43."""

from typing import Annotated


def forty_three() -> Annotated[int, "_ == 43"]:
    return 6 * 7
