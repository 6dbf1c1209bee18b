# expect: unsafe 8
"""The local refinement does not follow when b may exceed a."""

from typing import Annotated


def diff(a: int, b: int) -> int:
    d: Annotated[int, "_ >= 0"] = a - b
    return d
