"""Polymorphism and abstract refinements: matching, the free theorem, instantiation."""

from __future__ import annotations

import pytest

from fmlab.core.errors import InputError
from fmlab.core.result import Refuted
from fmlab.refine import Status, check_source
from fmlab.refine._generics import substitute, unify
from fmlab.refine._pytypes import BOOL, INT, STR, Kind, PyType, list_of

T = PyType(Kind.TYPEVAR, name="T")

HEADER = "from typing import Annotated, TypeVar\n\nT = TypeVar('T')\n\n\n"


def test_unify_binds_once_and_refuses_a_second_type() -> None:
    mapping: dict[str, PyType] = {}
    assert unify(list_of(T), list_of(STR), mapping)
    assert mapping == {"T": STR}
    assert not unify(T, INT, mapping)
    assert not unify(list_of(T), INT, {})
    assert substitute(list_of(T), {"T": BOOL}) == list_of(BOOL)


def _statuses(source: str) -> dict[str, Status]:
    return {f.name: f.status for f in check_source(HEADER + source).functions}


def test_a_generic_body_cannot_inspect_its_type_variable() -> None:
    source = "def same(a: T, b: T) -> bool:\n    return a == b\n"
    assert _statuses(source)["same"] is Status.UNSUPPORTED


def test_the_result_is_one_of_the_inputs_and_nothing_more() -> None:
    source = (
        "def pick(a: T, b: T, left: bool) -> T:\n    return a if left else b\n\n\n"
        'def f(x: Annotated[int, "_ > 0"], y: int) -> Annotated[int, "_ > 0"]:\n'
        "    return pick(x, y, True)\n"
    )
    # y may be negative and pick is only known to return one of x, y: not proved. Nor
    # refuted: returning y fails, returning x (what pick does) passes, so it is unknown.
    report = check_source(HEADER + source)
    assert report.function("pick").status is Status.SAFE
    assert report.function("f").status is Status.UNKNOWN
    forced = source.replace("pick(x, y, True)", "pick(y, y, True)")
    assert check_source(HEADER + forced).function("f").status is Status.UNSAFE


def test_a_loop_that_assigns_a_list_forgets_its_element_refinement() -> None:
    source = (
        'def f(xs: list[Annotated[int, "_ > 0"]], n: int) -> Annotated[int, "_ > 0"]:\n'
        "    i = 0\n    while i < n:\n        xs = xs + [-1]\n        i += 1\n"
        "    if xs:\n        return xs[0]\n    return 1\n"
    )
    assert _statuses(source)["f"] is not Status.SAFE


ABSTRACT = (
    'def bad_max(a: Annotated[int, "p(_)"], b: Annotated[int, "p(_)"]) '
    '-> Annotated[int, "p(_)"]:\n    # @ abstract p(int)\n    return a + b\n'
)


def test_an_abstract_refinement_is_checked_for_every_predicate() -> None:
    [function] = check_source(HEADER + ABSTRACT).functions
    assert function.status is Status.UNSAFE
    [error] = function.errors
    assert isinstance(error.result, Refuted)
    assert not error.replayable  # it depends on the solver's p


def test_an_abstract_predicate_is_not_code() -> None:
    source = 'def f(a: Annotated[int, "p(_)"]) -> bool:\n    # @ abstract p(int)\n    return p(a)\n'
    assert _statuses(source)["f"] is Status.UNSUPPORTED


@pytest.mark.parametrize(
    ("comment", "words"),
    [("# @ abstract p", "for example #@ abstract"), ("# @ abstract len(int)", "hide")],
)
def test_bad_abstract_declarations_are_input_errors(comment: str, words: str) -> None:
    source = f"def f(a: int) -> int:\n    {comment}\n    return a\n"
    with pytest.raises(InputError, match=words):
        check_source(HEADER + source)


def test_predicate_variables_on_list_elements_are_checked_for_every_p() -> None:
    # More in test_abstract.py: the instantiation at calls.
    source = (
        '# @ abstract p(int)\n\n\ndef top(xs: list[Annotated[int, "p(_)"]]) -> '
        'Annotated[int, "p(_)"]:\n    return 0\n'
    )
    assert _statuses(source)["top"] is Status.UNSAFE
