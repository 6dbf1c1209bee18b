"""Python semantics in the encoding: differential tests against CPython itself."""

from __future__ import annotations

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.refine import check_source
from fmlab.refine._expressions import floor_div, python_mod

ints = st.integers(min_value=-50, max_value=50)


@settings(max_examples=60, deadline=None)
@given(ints, ints.filter(lambda b: b != 0))
def test_floor_division_and_modulo_match_python(a: int, b: int) -> None:
    x, y = z3.IntVal(a), z3.IntVal(b)
    assert z3.simplify(floor_div(x, y)).as_long() == a // b
    assert z3.simplify(python_mod(x, y)).as_long() == a % b


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-3, 3), max_size=6),
    st.one_of(st.none(), st.integers(-8, 8)),
    st.one_of(st.none(), st.integers(-8, 8)),
)
def test_slices_match_python(items: list[int], low: int | None, high: int | None) -> None:
    # The checker must prove exactly the slice CPython computes, and refute anything else.
    bounds = f"{'' if low is None else low}:{'' if high is None else high}"
    expected = items[low:high]
    source = (
        "from typing import Annotated\n\n\n"
        f'def f(xs: Annotated[list[int], "len(_) == {len(items)}"]) -> Annotated[\n'
        f'    list[int], "len(_) == {len(expected)}"\n]:\n'
        f"    return xs[{bounds}]\n"
    )
    assert check_source(source).functions[0].status.value == "safe"
    # The result's refinement is the last of the two: change only that one.
    head, tail = source.rsplit(f'"len(_) == {len(expected)}"', 1)
    wrong = f'{head}"len(_) == {len(expected) + 1}"{tail}'
    assert check_source(wrong).functions[0].status.value == "unsafe"


def test_short_circuit_guards_the_index() -> None:
    safe = "def f(xs: list[int], i: int) -> bool:\n    return 0 <= i < len(xs) and xs[i] > 0\n"
    assert check_source(safe).functions[0].status.value == "safe"
    unsafe = "def f(xs: list[int], i: int) -> bool:\n    return 0 <= i or xs[i] > 0\n"
    assert check_source(unsafe).functions[0].status.value == "unsafe"


def test_a_callable_parameter_is_checked_at_its_calls_and_a_passed_function_must_fit() -> None:
    from fmlab.refine import Status, check_source

    head = "from collections.abc import Callable\nfrom typing import Annotated\n\n"
    positive = 'Callable[[Annotated[int, "_ > 0"]], Annotated[int, "_ > 0"]]'
    text = head + (
        f'def apply(f: {positive}, x: Annotated[int, "_ > 0"]) -> Annotated[int, "_ > 0"]:\n'
        "    return f(f(x))\n\n"
        f"def careless(f: {positive}, x: int) -> int:\n    return f(x)\n\n"
        'def inc(n: int) -> Annotated[int, "_ > n"]:\n    return n + 1\n\n'
        'def dec(n: int) -> Annotated[int, "_ == n - 1"]:\n    return n - 1\n\n'
        'def good(x: Annotated[int, "_ > 0"]) -> int:\n    return apply(inc, x)\n\n'
        'def bad(x: Annotated[int, "_ > 0"]) -> int:\n    return apply(dec, x)\n'
    )
    report = check_source(text)
    statuses = {f.name: f.status for f in report.functions}
    assert statuses == {
        "apply": Status.SAFE,
        "careless": Status.UNSAFE,
        "inc": Status.SAFE,
        "dec": Status.SAFE,
        "good": Status.SAFE,
        "bad": Status.UNSAFE,
    }
    [careless] = report.function("careless").errors
    assert careless.counterexample is not None
    assert careless.counterexample["x"] <= 0
    assert not careless.replayable  # a function has no literal
    [bad] = report.function("bad").errors
    assert "dec must fit" in bad.message
    assert not bad.replayable


def test_a_function_is_passed_by_name_only() -> None:
    from fmlab.refine import Status, check_source

    text = (
        "from collections.abc import Callable\n\n"
        "def apply(f: Callable[[int], int], x: int) -> int:\n    return f(x)\n\n"
        "def use(x: int) -> int:\n    return apply(lambda k: k, x)\n"
    )
    use = check_source(text).function("use")
    assert use.status is Status.UNSUPPORTED
    assert "other than a function's name" in use.errors[0].message


BELOW = (
    "from typing import Annotated\n\n\n"
    'def below(pivot: int, xs: list[int]) -> list[Annotated[int, "_ < pivot"]]:\n'
    "    if not xs:\n        return []\n"
    "    rest = below(pivot, xs[1:])\n"
    "    if xs[0] < pivot:\n        return [xs[0], *rest]\n"
    "    return rest\n\n\n"
    'def under(bound: int, ys: list[Annotated[int, "_ < bound"]]) -> int:\n'
    "    return 0\n\n\n"
)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # The callee's `pivot` is the argument: 3 here, the caller's own bound there.
        ('def f(xs: list[int]) -> list[Annotated[int, "_ < 3"]]:\n    return below(3, xs)\n',
         "safe"),
        ('def f(xs: list[int], q: int) -> list[Annotated[int, "_ < q"]]:\n'
         "    return below(q, xs)\n", "safe"),
        # The same words, another value: a text match must not stand for a proof.
        ('def f(xs: list[int], pivot: int) -> list[Annotated[int, "_ < pivot"]]:\n'
         "    return below(pivot + 1, xs)\n", "unsafe"),
        ('def f(bound: int, ys: list[Annotated[int, "_ < bound"]]) -> int:\n'
         "    return under(bound - 1, ys)\n", "unsafe"),
        ('def f(bound: int, ys: list[Annotated[int, "_ < bound"]]) -> int:\n'
         "    return under(bound + 1, ys)\n", "safe"),
        # In the body, the parameters' values at entry, whatever is rebound later.
        ('def f(pivot: int, xs: list[Annotated[int, "_ < pivot"]]) -> '
         'list[Annotated[int, "_ < pivot"]]:\n    pivot = pivot - 100\n    return xs\n', "safe"),
        ('def f(pivot: int, xs: list[int]) -> list[Annotated[int, "_ < pivot"]]:\n'
         '    low: list[Annotated[int, "_ < pivot"]] = below(pivot, xs)\n'
         "    pivot = pivot - 1\n    return low\n", "safe"),
        ('def f(pivot: int, xs: list[int]) -> int:\n'
         "    pivot = pivot + 1\n"
         '    low: list[Annotated[int, "_ < pivot"]] = below(pivot, xs)\n    return 0\n',
         "safe"),
        ('def f(pivot: int, xs: list[int]) -> int:\n'
         '    low: list[Annotated[int, "_ < pivot - 1"]] = below(pivot, xs)\n    return 0\n',
         "unsafe"),
        # A local's annotation is checked, not assumed of the value it is checked on.
        ('def f(xs: list[int]) -> int:\n'
         '    low: list[Annotated[int, "_ < 0"]] = xs\n    return 0\n', "unsafe"),
        ('def f(xs: list[Annotated[int, "_ < -1"]]) -> list[Annotated[int, "_ < 0"]]:\n'
         '    low: list[Annotated[int, "_ < 0"]] = xs\n    return low\n', "safe"),
    ],
)  # fmt: skip
def test_element_refinements_mentioning_parameters_mean_their_values(
    body: str, status: str
) -> None:
    report = check_source(BELOW + body)
    assert report.function("below").status.value == "safe"
    assert report.function("f").status.value == status, report.explain()
