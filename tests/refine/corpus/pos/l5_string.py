# expect: safe
"""Strings: len, indexing and concatenation."""

from typing import Annotated


def initial(name: Annotated[str, "len(_) > 0"]) -> Annotated[str, "len(_) == 1"]:
    return name[0]


def greet(name: str) -> Annotated[str, "len(_) == len(name) + 7"]:
    return "Hello, " + name
