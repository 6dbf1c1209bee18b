"""Python semantics in the encoding: differential tests against CPython itself."""

from __future__ import annotations

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
