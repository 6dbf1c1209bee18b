"""Houdini inference keeps exactly the inductive candidates."""

from __future__ import annotations

from fmlab.refine import Status, check_source

COUNT = """
from typing import Annotated


def count(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == n"]:
    i = 0
    while i < n:
        i = i + 1
    return i
"""


def test_the_counter_bound_is_inferred() -> None:
    [function] = check_source(COUNT).functions
    assert function.status is Status.SAFE
    [inferred] = function.inferred.values()
    assert "i <= n" in inferred
    assert "i >= 0" in inferred
    assert "i == n" not in inferred  # false on entry when n > 0


def test_a_qualifier_adds_a_candidate_the_templates_lack() -> None:
    text = (
        COUNT.replace("i = i + 1", "i = i + 1\n        j = j + 2")
        .replace("    i = 0\n", "    i = 0\n    j = 0\n")
        .replace('"_ == n"]:', '"_ == n"]:')
        .replace("    return i", "    assert j == 2 * i\n    return i")
    )
    [without] = check_source(text).functions
    with_qualifier = "# @ qualif Twice(v: int, w: int): v == 2 * w\n" + text
    [with_it] = check_source(with_qualifier).functions
    assert with_it.status is Status.SAFE
    assert any("Twice(j, i)" in texts for texts in with_it.inferred.values())
    # Without the qualifier Spacer may still find j == 2 * i: never an unsafe verdict.
    assert without.status is not Status.UNSAFE
