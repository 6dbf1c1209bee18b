# expect: unsafe 10
"""L1: a refinement that names a module constant is checked against its value."""

from typing import Annotated

LIMIT = 10


def bump(x: Annotated[int, "0 <= _ <= LIMIT"]) -> Annotated[int, "_ <= LIMIT"]:
    return x + 1
