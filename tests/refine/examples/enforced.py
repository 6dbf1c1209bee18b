"""A module that is both checked statically and run with @enforce (tests only).

``lie``'s assumed signature is false: the checker trusts it, the decorator does not.
"""

from typing import Annotated

from fmlab.refine._contracts import enforce

# @ assume lie(x: int) -> {v: int | v > x}
# @ measure total(xs: list[int]) -> int


def lie(x: int) -> int:
    return x


def total(xs: list[int]) -> int:
    return sum(xs)


@enforce(only_unproved=True)
def trusting(x: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ > x"]:
    return lie(x)


@enforce
def checking(x: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ > x"]:
    return lie(x)


@enforce(only_unproved=True)
def square(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == n * n"]:
    result = 0
    i = 0
    while i < n:
        i = i + 1
        result = result + n
    return result


@enforce(only_unproved=True)
def off_by_one(n: Annotated[int, "_ >= 1"]) -> Annotated[int, "_ == n * n"]:
    result = 0
    i = 1
    while i < n:
        i = i + 1
        result = result + n
    return result


def caller(k: int) -> int:
    return square(k)


@enforce
def pick(xs: list[int], i: Annotated[int, "0 <= _ < len(xs)"]) -> Annotated[int, "_ <= total(xs)"]:
    return xs[i]
