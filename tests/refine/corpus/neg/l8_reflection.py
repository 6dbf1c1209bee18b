# expect: unsafe 19 23
"""L8: a claim about a reflected function that its definition refutes; the counterexample
is checked against the definition, not against a value the solver chose for it."""

from typing import Annotated

# @ reflect total


def total(n: int) -> int:
    if n <= 0:
        return 0
    return n + total(n - 1)


def squares(n: Annotated[int, "_ >= 0"]) -> Annotated[bool, "total(n) == n * n"]:
    if n == 0:
        return True
    return squares(n - 1)


def seven() -> Annotated[int, "_ == 7"]:
    return total(3)
