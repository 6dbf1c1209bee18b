"""Abstract refinements instantiated at calls: list elements, two arguments, list relations."""

from __future__ import annotations

import pytest
import z3

from fmlab.core.errors import InputError
from fmlab.refine import Status, check_source
from fmlab.refine._abstract import Application, strongest
from fmlab.refine._pytypes import INT
from fmlab.refine._values import Value

HEADER = "from typing import Annotated\n\n"


def _statuses(source: str) -> dict[str, Status]:
    return {f.name: f.status for f in check_source(HEADER + source).functions}


def _valid(formula: z3.BoolRef) -> bool:
    solver = z3.Solver()
    solver.add(z3.Not(formula))
    return solver.check() == z3.unsat


def test_a_scalar_application_is_an_equality() -> None:
    a, b = z3.Ints("a b")
    instance = strongest([Application((Value(INT, a),)), Application((Value(INT, b),))])
    v = z3.Int("v")
    assert _valid(instance((Value(INT, a),)))
    assert _valid(z3.Implies(instance((Value(INT, v),)), z3.Or(v == a, v == b)))


def test_an_element_application_matches_a_read_of_the_same_list() -> None:
    xs = z3.Const("xs", z3.SeqSort(z3.IntSort()))
    k, t = z3.Ints("k t")
    recorded = Application((Value(INT, xs[k]),), (k,), z3.And(k >= 0, k < z3.Length(xs)))
    instance = strongest([recorded])
    # As a goal: any read in range of the recorded list.
    assert _valid(z3.Implies(z3.And(t >= 0, t < z3.Length(xs)), instance((Value(INT, xs[t]),))))
    # As a fact: the value is some element of the list.
    v = z3.Int("v")
    fact = instance((Value(INT, v),))
    assert not _valid(fact)
    other = z3.Const("ys", z3.SeqSort(z3.IntSort()))
    assert not _valid(instance((Value(INT, other[t]),)))


def test_a_relation_on_a_recorded_list_holds_in_order_only() -> None:
    xs = z3.Const("xs", z3.SeqSort(z3.IntSort()))
    i, j = z3.Ints("i j")
    guard = z3.And(i >= 0, i < j, j < z3.Length(xs))
    instance = strongest([Application((Value(INT, xs[i]), Value(INT, xs[j])), (i, j), guard)])
    a, b = z3.Ints("a b")
    ordered = instance.in_order((Value(INT, xs[a]), Value(INT, xs[b])))
    assert _valid(z3.Implies(z3.And(a >= 0, a < b, b < z3.Length(xs)), ordered))
    # Backwards it holds only where the values repeat in order: not always.
    backwards = instance((Value(INT, xs[b]), Value(INT, xs[a])))
    assert not _valid(z3.Implies(z3.And(a >= 0, a < b, b < z3.Length(xs)), backwards))


LIST_MAX = (
    "# @ abstract p(int)\n\n\n"
    'def list_max(xs: Annotated[list[Annotated[int, "p(_)"]], "len(_) > 0"]) '
    '-> Annotated[int, "p(_)"]:\n'
    "    if len(xs) == 1:\n        return xs[0]\n"
    "    rest = list_max(xs[1:])\n"
    "    if xs[0] > rest:\n        return xs[0]\n    return rest\n\n\n"
)


def test_a_predicate_on_list_elements_comes_back_through_each_call() -> None:
    # The tutorial's listMax: one proof, then even, odd and RGB maxima.
    source = LIST_MAX + (
        'def even() -> Annotated[int, "_ % 2 == 0"]:\n'
        "    return list_max([0, 200, 4000, 60])\n\n\n"
        'def odd() -> Annotated[int, "_ % 2 == 1"]:\n'
        "    return list_max([1, 21, 4001, 961])\n\n\n"
        'def rgb(xs: Annotated[list[Annotated[int, "0 <= _ < 256"]], "len(_) > 0"]) '
        '-> Annotated[int, "0 <= _ < 256"]:\n    return list_max(xs)\n\n\n'
        'def positive(xs: Annotated[list[Annotated[int, "_ >= 0"]], "len(_) > 0"]) '
        '-> Annotated[int, "_ > 0"]:\n    return list_max(xs)\n'
    )
    report = check_source(HEADER + source)
    statuses = {f.name: f.status for f in report.functions}
    assert statuses == {
        "list_max": Status.SAFE,
        "even": Status.SAFE,
        "odd": Status.SAFE,
        "rgb": Status.SAFE,
        "positive": Status.UNSAFE,
    }
    [error] = report.function("positive").errors
    assert error.counterexample == {"xs": [0]}


def test_a_body_that_makes_a_new_element_fails_for_some_p() -> None:
    source = LIST_MAX.replace("== 1:\n        return xs[0]\n", "== 1:\n        return xs[0] + 1\n")
    report = check_source(HEADER + source)
    [function] = report.functions
    assert function.status is Status.UNSAFE
    assert all(not error.replayable for error in function.errors)


PAIR = (
    "# @ abstract r(int, int)\n\n\n"
    'def make_pair(x: int, y: Annotated[int, "r(x, _)"]) '
    '-> Annotated[tuple[int, int], "r(_[0], _[1])"]:\n    return (x, y)\n\n\n'
)


def test_a_predicate_of_two_arguments_relates_the_pair() -> None:
    # LiquidHaskell's tests/absref/pos/Deppair0.hs and neg/Deppair0.hs: (x, x + 1).
    source = PAIR + (
        'def ordered(x: int) -> Annotated[tuple[int, int], "_[0] < _[1]"]:\n'
        "    return make_pair(x, x + 1)\n\n\n"
        'def reversed_pair(x: int) -> Annotated[tuple[int, int], "_[0] > _[1]"]:\n'
        "    return make_pair(x, x + 1)\n\n\n"
        'def swapped(x: int, y: Annotated[int, "r(x, _)"]) '
        '-> Annotated[tuple[int, int], "r(_[0], _[1])"]:\n    return (y, x)\n'
    )
    report = check_source(HEADER + source)
    statuses = {f.name: f.status for f in report.functions}
    assert statuses == {
        "make_pair": Status.SAFE,
        "ordered": Status.SAFE,
        "reversed_pair": Status.UNSAFE,
        "swapped": Status.UNSAFE,
    }
    [error] = report.function("swapped").errors
    x, y = error.counterexample["x"], error.counterexample["y"]
    assert f"r({y}, {x}) = False" in error.counterexample["r"]


RELATION = (
    "# @ abstract r(int, int)\n"
    "# @ relation ascending(a: int, b: int): a <= b\n"
    "# @ relation increasing(a: int, b: int): a < b\n\n\n"
    'def rest(xs: Annotated[list[int], "r(_) and len(_) > 0"]) '
    '-> Annotated[list[int], "r(_) and len(_) == len(xs) - 1"]:\n    return xs[1:]\n\n\n'
)


def test_a_relation_variable_is_instantiated_by_the_callers_relation() -> None:
    source = RELATION + (
        'def sorted_rest(xs: Annotated[list[int], "ascending(_) and len(_) > 0"]) '
        '-> Annotated[list[int], "ascending(_)"]:\n    return rest(xs)\n\n\n'
        'def strict_rest(xs: Annotated[list[int], "increasing(_) and len(_) > 0"]) '
        '-> Annotated[list[int], "increasing(_)"]:\n    return rest(xs)\n\n\n'
        'def not_strict(xs: Annotated[list[int], "ascending(_) and len(_) > 2"]) '
        '-> Annotated[list[int], "increasing(_)"]:\n    return rest(xs)\n'
    )
    statuses = _statuses(source)
    assert statuses["rest"] is Status.SAFE
    assert statuses["sorted_rest"] is Status.SAFE
    assert statuses["strict_rest"] is Status.SAFE
    assert statuses["not_strict"] in (Status.UNSAFE, Status.UNKNOWN)


def test_a_relation_variable_is_not_assumed_transitive() -> None:
    source = RELATION + (
        'def backwards(xs: Annotated[list[int], "r(_)"]) -> Annotated[list[int], "r(_)"]:\n'
        "    if len(xs) < 2:\n        return xs\n    return [xs[1], xs[0]]\n\n\n"
        'def skip(xs: Annotated[list[int], "r(_)"]) -> Annotated[list[int], "r(_)"]:\n'
        "    if len(xs) < 3:\n        return xs\n    return [xs[0], xs[2]]\n"
    )
    statuses = _statuses(source)
    assert statuses["backwards"] is Status.UNSAFE
    assert statuses["skip"] is Status.SAFE  # every pair, not only neighbours


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"r(_, 1, 2)"', "r takes 2 arguments"),
        ('"p(_, 1)"', "p takes 1 argument"),
        ('"q(_, _)"', "q takes str here, not int"),
    ],
)
def test_a_wrong_number_of_arguments_is_an_input_error(text: str, words: str) -> None:
    source = (
        "# @ abstract p(int)\n# @ abstract r(int, int)\n# @ abstract q(int, str)\n\n\n"
        f"def f(a: Annotated[int, {text}]) -> int:\n    return a\n"
    )
    with pytest.raises(InputError, match=words):
        check_source(HEADER + source)


def test_a_predicate_variable_of_a_refined_type_is_an_input_error() -> None:
    with pytest.raises(InputError, match="plain values"):
        check_source(HEADER + '# @ abstract r(int, Annotated[int, "_ > 0"])\n')


def test_a_counterexample_whose_model_has_no_table_for_r_still_reports() -> None:
    # Found by the mutation tests: z3 may give a two-argument predicate as a lambda.
    source = RELATION.replace("return xs[1:]", "return xs[2:]")
    report = check_source(HEADER + source)
    [error] = report.function("rest").errors
    assert error.counterexample is not None
    assert "r" in error.counterexample
