# expect: unsafe 12 16
"""L4: an unsafe callee promises its callers nothing beyond its declared type.

`xs[-1]` is outside the subset's indexing rule, so `last` is unsafe; inference then assumed
the failed check and "proved" `_ > 0 and _ <= 0`, from which `use` proved `_ == 42`.
"""

from typing import Annotated


def last(xs: Annotated[list[int], "len(_) > 0"]) -> int:
    return xs[-1]


def use(xs: Annotated[list[int], "len(_) > 0"]) -> Annotated[int, "_ == 42"]:
    return last(xs)
