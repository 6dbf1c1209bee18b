# expect: unsafe 9
"""Without a refinement on the pair, nothing is known about its parts."""

from typing import Annotated


def remainder(pair: tuple[int, int]) -> Annotated[int, "_ >= 0"]:
    _, r = pair
    return r
