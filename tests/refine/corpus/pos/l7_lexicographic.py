# expect: safe
"""L7: lexicographic metrics, written with #@ decreases or found among the parameters' sizes."""

from typing import Annotated


def gcd(a: Annotated[int, "_ > 0"], b: Annotated[int, "_ > 0"]) -> Annotated[int, "_ > 0"]:
    # @ decreases a, b
    if a == b:
        return a
    if a > b:
        return gcd(a - b, b)
    return gcd(a, b - a)


def ackermann(m: Annotated[int, "_ >= 0"], n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ > n"]:
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def insert(x: int, ys: list[int]) -> Annotated[list[int], "len(_) == len(ys) + 1"]:
    if not ys:
        return [x]
    if x <= ys[0]:
        return [x, *ys]
    return [ys[0], *insert(x, ys[1:])]


def interleave(xs: list[int], ys: list[int]) -> Annotated[list[int], "len(_) == len(xs) + len(ys)"]:
    if not xs:
        return ys
    if not ys:
        return xs
    if xs[0] <= ys[0]:
        return [xs[0], *interleave(xs[1:], ys)]
    return [ys[0], *interleave(xs, ys[1:])]


def total(
    acc: Annotated[int, "_ >= 0"], xs: list[Annotated[int, "_ >= 0"]]
) -> Annotated[int, "_ >= acc"]:
    if not xs:
        return acc
    return total(acc + xs[0], xs[1:])


def distance(lo: int, hi: Annotated[int, "_ >= lo"]) -> Annotated[int, "_ == hi - lo"]:
    # @ decreases hi - lo
    if lo == hi:
        return 0
    return 1 + distance(lo + 1, hi)
