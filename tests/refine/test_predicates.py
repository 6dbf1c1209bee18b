"""The predicate language: what it accepts, and where its errors point."""

from __future__ import annotations

import pytest

from fmlab.core.errors import InputError
from fmlab.refine._predicates import parse_predicate


def test_list_reads_are_allowed() -> None:
    predicate = parse_predicate("len(_) > 0 and _[0] == x", source="f.py", line=1, column=1)
    assert predicate.names() == {"_", "x"}


def test_names_are_variables_not_applied_functions() -> None:
    predicate = parse_predicate("tlen(t) >= n and 0 <= _", source="f.py", line=1, column=1)
    assert predicate.names() == {"t", "n", "_"}


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("x is None", 11, "not allowed in a predicate"),
        ("_ > 1.5", 15, "only int and bool constants"),
        ("f(x=1)", 11, "only measures and len"),
        ("[1, 2]", 11, "not allowed"),
        ("_ >", 11, "predicate syntax error"),
        ("   ", 14, "empty predicate"),
    ],
)
def test_errors_are_located_in_the_file(text: str, column: int, words: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_predicate(text, source="f.py", line=4, column=11)
    assert raised.value.line == 4
    assert raised.value.column == column
    assert words in raised.value.message
