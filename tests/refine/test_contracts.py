"""``@enforce``: refinements checked at call time, in the checker's predicate language."""

from __future__ import annotations

from typing import Annotated

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.core.errors import InputError
from fmlab.refine._contracts import RETURN, RefinementViolation, enforce
from tests.refine.examples import enforced


@enforce
def take(n: Annotated[int, "_ >= 0"], xs: Annotated[list[int], "len(_) >= n"]) -> list[int]:
    return xs[:n]


@enforce
def halve(x: int) -> Annotated[int, "2 * _ <= x and x < 2 * _ + 2"]:
    return x // 2


@enforce
def wrong_halve(x: int) -> Annotated[int, "2 * _ == x"]:
    return x // 2


def test_a_parameter_violation_names_function_parameter_predicate_and_values() -> None:
    with pytest.raises(RefinementViolation) as raised:
        take(3, [1, 2])
    violation = raised.value
    assert isinstance(violation, AssertionError)
    assert (violation.function, violation.target, violation.predicate) == (
        "take",
        "xs",
        "len(_) >= n",
    )
    assert violation.values == {"xs": [1, 2], "n": 3}
    assert str(violation) == "take: parameter xs must satisfy `len(_) >= n`, got xs = [1, 2], n = 3"


def test_a_result_violation_shows_the_result_and_the_parameters_it_mentions() -> None:
    assert wrong_halve(4) == 2
    with pytest.raises(RefinementViolation) as raised:
        wrong_halve(5)
    assert raised.value.target == RETURN
    assert (
        str(raised.value) == "wrong_halve: result must satisfy `2 * _ == x`, got result = 2, x = 5"
    )


@settings(max_examples=50)
@given(st.integers(-1000, 1000))
def test_floor_division_follows_python_as_in_the_checker(x: int) -> None:
    # The checker proves halve safe with Python's rounding; the run-time check agrees.
    halve(x)


def test_keyword_arguments_and_defaults_are_bound_by_name() -> None:
    @enforce
    def between(low: int, high: Annotated[int, "_ >= low"] = 10) -> int:
        return high - low

    assert between(high=5, low=1) == 4
    assert between(3) == 7
    with pytest.raises(RefinementViolation, match="parameter high"):
        between(11)


def test_measures_passed_in_by_name_or_as_functions() -> None:
    def tlen(text: str) -> int:
        return len(text)

    @enforce(measures={"tlen": tlen})
    def first(n: int, t: Annotated[str, "tlen(t) >= n"]) -> str:
        return t[:n]

    @enforce(measures=[tlen])
    def second(n: int, t: Annotated[str, "tlen(_) >= n"]) -> str:
        return t[:n]

    assert first(2, "abc") == second(2, "abc") == "ab"
    with pytest.raises(RefinementViolation, match=r"tlen\(t\) >= n"):
        first(10, "input")
    with pytest.raises(RefinementViolation, match="t = 'input', n = 10"):
        second(10, "input")


def test_a_missing_measure_is_named() -> None:
    @enforce
    def f(x: Annotated[list[int], "nowhere(_) > 0"]) -> int:
        return 0

    with pytest.raises(NameError, match="measure 'nowhere'"):
        f([1])


def test_unknown_names_and_bad_predicates_fail_at_decoration() -> None:
    def f(x: Annotated[int, "y > 0"]) -> int:
        return x

    with pytest.raises(TypeError, match="unknown name 'y'"):
        enforce(f)

    def g(x: Annotated[int, "_ is None"]) -> int:
        return x

    with pytest.raises(InputError, match="not allowed"):
        enforce(g)


def test_a_read_out_of_range_makes_a_predicate_false() -> None:
    @enforce
    def head(xs: Annotated[list[int], "_[0] > 0"]) -> int:
        return xs[0]

    assert head([3]) == 3
    with pytest.raises(RefinementViolation, match="_\\[0\\] > 0"):
        head([])


def test_predicates_see_no_builtins_but_len() -> None:
    @enforce
    def f(x: Annotated[int, "abs(_) > 0"]) -> int:
        return x

    with pytest.raises(NameError, match="measure 'abs'"):
        f(1)


def test_module_measures_are_looked_up_by_name() -> None:
    assert enforced.pick([5, 7], 0) == 5
    with pytest.raises(RefinementViolation, match=r"_ <= total\(xs\)"):
        enforced.pick([5, -3], 0)
    with pytest.raises(RefinementViolation, match="parameter i"):
        enforced.pick([5], 1)


def test_only_unproved_trusts_a_safe_verdict_and_checks_the_rest() -> None:
    # `lie` breaks its assumed signature: the checker trusts the assumption, so `trusting`
    # is safe and its result goes unchecked; `checking`, without only_unproved, catches it.
    assert enforced.trusting(3) == 3
    with pytest.raises(RefinementViolation, match="checking: result"):
        enforced.checking(3)
    # square is unknown to the checker: its result is checked, and it holds.
    assert enforced.square(4) == 16
    with pytest.raises(RefinementViolation, match="off_by_one: result"):
        enforced.off_by_one(3)
    # Parameters are checked even for a safe function: callers outside the file are unseen.
    with pytest.raises(RefinementViolation, match="trusting: parameter x"):
        enforced.trusting(-1)


def test_functions_without_a_file_are_checked_in_full() -> None:
    namespace: dict[str, object] = {}
    exec(
        "from typing import Annotated\n"
        "def made(x: int) -> Annotated[int, '_ > x']:\n"
        "    return x\n",
        namespace,
    )
    made = enforce(only_unproved=True)(namespace["made"])  # type: ignore[call-overload]
    with pytest.raises(RefinementViolation, match="made: result"):
        made(1)
