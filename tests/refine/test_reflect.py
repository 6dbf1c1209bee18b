"""Reflection: reading a recursive definition as one expression, and proof by evaluation."""

from __future__ import annotations

import ast

import pytest

from fmlab.core.errors import InputError
from fmlab.core.result import Unknown, UnknownReason
from fmlab.refine import Status, check_source
from fmlab.refine._reflect import definition_expression, is_recursive

TOTAL = (
    "from typing import Annotated\n\n#@ reflect total\n\n"
    "def total(n: int) -> int:\n    if n <= 0:\n        return 0\n    return n + total(n - 1)\n\n"
)


def _function(text: str) -> ast.FunctionDef:
    node = ast.parse(text).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("def f(n: int) -> int:\n    return 0 if n <= 0 else f(n - 1)\n",
         "0 if n <= 0 else f(n - 1)"),
        ("def f(n: int) -> int:\n    if n <= 0:\n        return 0\n    return f(n - 1)\n",
         "0 if n <= 0 else f(n - 1)"),
        ("def f(n: int) -> int:\n    '''doc'''\n    if n < 0:\n        return 0\n"
         "    elif n == 0:\n        return 1\n    else:\n        return f(n - 1)\n",
         "0 if n < 0 else 1 if n == 0 else f(n - 1)"),
    ],
)  # fmt: skip
def test_a_definition_of_returns_under_ifs_is_one_expression(text: str, expected: str) -> None:
    found = definition_expression(_function(text))
    assert found is not None
    assert ast.unparse(found) == expected


@pytest.mark.parametrize(
    "text",
    [
        "def f(n: int) -> int:\n    m = n - 1\n    return f(m)\n",
        "def f() -> int:\n    return 1\n",
        "def f(n: int) -> int:\n    if n > 0:\n        return 1\n",
    ],
)
def test_other_bodies_are_not_definitions(text: str) -> None:
    assert definition_expression(_function(text)) is None


def test_recursion_is_a_call_to_itself() -> None:
    assert is_recursive(_function("def f(n: int) -> int:\n    return f(n)\n"))
    assert not is_recursive(_function("def f(n: int) -> int:\n    return g(n)\n"))


def test_evaluation_proves_a_literal_claim_and_induction_a_general_one() -> None:
    report = check_source(
        TOTAL + 'def ten() -> Annotated[int, "_ == 55"]:\n    return total(10)\n\n'
        'def gauss(n: Annotated[int, "_ >= 0"]) -> '
        'Annotated[bool, "2 * total(n) == n * (n + 1)"]:\n'
        "    if n == 0:\n        return True\n    return gauss(n - 1)\n"
    )
    assert report.all_safe, report


def test_a_counterexample_holds_under_the_definition() -> None:
    report = check_source(
        TOTAL + 'def cube(n: Annotated[int, "_ >= 0"]) -> Annotated[bool, "total(n) <= 2 * n"]:\n'
        "    if n == 0:\n        return True\n    return cube(n - 1)\n"
    )
    cube = report.functions[-1]
    assert cube.status is Status.UNSAFE
    witness = cube.errors[0].counterexample
    assert witness is not None
    n = witness["n"]
    assert n * (n + 1) // 2 > 2 * n  # the definition itself breaks the claim there


def test_a_counterexample_beyond_the_bound_is_unknown_with_the_reason() -> None:
    report = check_source(
        TOTAL + 'def big(n: Annotated[int, "_ > 5000"]) -> Annotated[int, "_ < 0"]:\n'
        "    return total(n)\n"
    )
    big = report.functions[-1]
    assert big.status is Status.UNKNOWN
    result = big.errors[0].result
    assert isinstance(result, Unknown)
    assert result.reason is UnknownReason.INCOMPLETE
    assert "unfolding total stopped at its bound" in result.detail


def test_a_definition_that_does_not_terminate_is_not_used() -> None:
    text = (
        "from typing import Annotated\n\n#@ reflect loop\n\n"
        "def loop(n: int) -> int:\n    return loop(n) + 1\n\n"
        'def bogus(n: int) -> Annotated[int, "loop(n) > loop(n) or _ == 1"]:\n    return 2\n'
    )
    statuses = {f.name: f.status for f in check_source(text).functions}
    assert statuses == {"loop": Status.UNSAFE, "bogus": Status.UNSAFE}


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("#@ reflect nothing\n", "no function of that name"),
        (
            "#@ reflect two\ndef two(a: int, b) -> int:\n    return two(a, b)\n",
            "parameters are annotated",
        ),
        ("#@ reflect s\ndef s(a: int) -> str:\n    return s(a)\n", "to an int or bool"),
    ],
)
def test_a_reflect_line_that_cannot_be_used_is_a_located_input_error(line: str, words: str) -> None:
    with pytest.raises(InputError) as raised:
        check_source(line)
    assert raised.value.line == 1
    assert words in raised.value.message


ADDER = (
    "from typing import Annotated\n\n#@ reflect adder\n#@ reflect plus\n\n"
    "def adder(x: int, y: int) -> int:\n    return x + y\n\n"
    'def plus(x: Annotated[int, "_ >= 0"], y: int) -> int:\n'
    "    if x == 0:\n        return y\n    return 1 + plus(x - 1, y)\n\n"
)


def test_a_function_of_two_parameters_is_reflected_and_evaluated() -> None:
    # LiquidHaskell's tests/ple/pos/Ple0.hs (adder 5 6 == 11) and its neg twin (== 12).
    text = ADDER + (
        'def eleven() -> Annotated[bool, "adder(5, 6) == 11"]:\n    return True\n\n'
        'def twelve() -> Annotated[bool, "adder(5, 6) == 12"]:\n    return True\n\n'
        'def by_recursion() -> Annotated[int, "_ == 11"]:\n    return plus(5, 6)\n'
    )
    statuses = {f.name: f.status for f in check_source(text).functions}
    assert statuses == {
        "adder": Status.SAFE,
        "plus": Status.SAFE,
        "eleven": Status.SAFE,
        "twelve": Status.UNSAFE,
        "by_recursion": Status.SAFE,
    }


def test_an_inductive_lemma_on_a_function_of_two_parameters() -> None:
    text = ADDER + (
        'def plus_adds(x: Annotated[int, "_ >= 0"], y: int) -> '
        'Annotated[bool, "plus(x, y) == adder(x, y)"]:\n'
        "    if x == 0:\n        return True\n    return plus_adds(x - 1, y)\n\n"
        'def plus_multiplies(x: Annotated[int, "_ >= 0"], y: int) -> '
        'Annotated[bool, "plus(x, y) == x * y"]:\n'
        "    if x == 0:\n        return True\n    return plus_multiplies(x - 1, y)\n"
    )
    report = check_source(text)
    assert report.function("plus_adds").status is Status.SAFE
    errors = report.function("plus_multiplies").errors
    assert errors
    for error in errors:
        x, y = error.counterexample["x"], error.counterexample["y"]
        assert x + y != x * y  # the definition's value, not a guess: plus(x, y) == x + y


def test_two_parameters_beyond_the_bound_is_unknown() -> None:
    text = ADDER + (
        'def far(x: Annotated[int, "_ > 2000"]) -> Annotated[int, "_ < 10"]:\n'
        "    return plus(x, 1)\n"
    )
    [error] = check_source(text).function("far").errors
    assert isinstance(error.result, Unknown)
    assert "unfolding plus stopped at its bound" in error.result.detail


def test_a_function_of_two_parameters_whose_recursion_may_not_end_is_not_reflected() -> None:
    # Found by the mutation tests: plus(x - 0, y) used to make every claim about plus an
    # input error. Its equation is not used; claims about it get modular counterexamples.
    text = ADDER.replace("1 + plus(x - 1, y)", "1 + plus(x - 0, y)") + (
        'def zero(x: Annotated[int, "_ >= 0"]) -> Annotated[bool, "plus(x, 0) == x"]:\n'
        "    if x == 0:\n        return True\n    return zero(x - 1)\n"
    )
    report = check_source(text)
    assert report.function("plus").status is Status.UNSAFE
    errors = report.function("zero").errors
    assert errors
    assert all(error.assumes for error in errors)
