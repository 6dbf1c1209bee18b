# expect: unsafe 16
"""L4: a caller sees only its callee's signature, so its counterexample assumes a result.

`double` returns 2 * n, but nothing in its signature says so: for the checker `double(n)`
may be odd, and the counterexample names the result it assumed (`double(0) returned 1`).
"""

from typing import Annotated


def double(n: int) -> int:
    return n + n


def even(n: int) -> Annotated[int, "_ % 2 == 0"]:
    return double(n)
