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


def test_a_function_with_a_wrong_invariant_exports_no_inferred_result() -> None:
    # The invariant i <= n is not preserved (i jumps to 2); assuming it afterwards gave the
    # result `_ == n`, which skip_ahead(1) == 2 contradicts. It must not be shown or exported.
    source = (
        "def skip_ahead(n: int) -> int:\n"
        "    i = 0\n"
        "    while i < n:\n"
        "        #@ invariant i <= n\n"
        "        if i == 0:\n"
        "            i = i + 2\n"
        "            continue\n"
        "        i = i + 1\n"
        "    return i\n"
    )
    report = check_source(source).function("skip_ahead")
    assert report.status is Status.UNSAFE
    assert (report.inferred_result, report.result_withheld) == ("", True)
    assert "no inferred result for callers" in report.explain()


def test_an_unsafe_callee_exports_no_contradictory_result() -> None:
    # last is unsafe (xs[-1] is outside the indexing rule); assuming that failed check,
    # inference "proved" `_ > 0 and _ <= 0`, and use then proved `_ == 42`.
    source = (
        "from typing import Annotated\n\n\n"
        'def last(xs: Annotated[list[int], "len(_) > 0"]) -> int:\n'
        "    return xs[-1]\n\n\n"
        'def use(xs: Annotated[list[int], "len(_) > 0"]) -> Annotated[int, "_ == 42"]:\n'
        "    return last(xs)\n"
    )
    report = check_source(source)
    assert report.function("last").status is Status.UNSAFE
    assert report.function("last").result_withheld
    assert report.function("use").status is Status.UNSAFE
    assert [error.line for error in report.function("use").errors] == [9]


def test_inferred_invariants_name_the_loop_position_in_user_terms() -> None:
    source = (
        "def count(xs: list[int]) -> int:\n"
        "    t = 0\n    for x in xs:\n        t = t + 1\n    return t\n"
    )
    report = check_source(source).function("count")
    shown = [text for texts in report.inferred.values() for text in texts]
    assert "t == (index of x)" in shown
    assert not any("#" in text for text in shown), shown
