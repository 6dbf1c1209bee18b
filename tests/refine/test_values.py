"""Symbolic values: model values decode to Python and encode back unchanged."""

from __future__ import annotations

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.refine._pytypes import BOOL, INT, STR, list_of
from fmlab.refine._values import decode, encode, fresh, replayable, sort


@settings(max_examples=50, deadline=None)
@given(
    st.one_of(
        st.integers(-(10**30), 10**30).map(lambda v: (v, INT)),
        st.booleans().map(lambda v: (v, BOOL)),
        st.text(alphabet="ab\\\"'é\n", max_size=6).map(lambda v: (v, STR)),
        st.lists(st.integers(-5, 5), max_size=5).map(lambda v: (v, list_of(INT))),
        st.lists(st.lists(st.integers(-2, 2), max_size=2), max_size=3).map(
            lambda v: (v, list_of(list_of(INT)))
        ),
    )
)
def test_decode_inverts_encode(case: tuple[object, object]) -> None:
    value, pytype = case
    literal = z3.simplify(encode(value, pytype))  # type: ignore[arg-type]
    assert decode(literal, pytype) == value  # type: ignore[arg-type]


def test_fresh_values_have_the_sort_of_their_type() -> None:
    assert fresh("xs", list_of(INT)).term.sort() == sort(list_of(INT))
    assert fresh("x", INT, exact_name=True).term.eq(z3.Int("x"))


def test_only_opaque_values_cannot_be_replayed() -> None:
    from fmlab.refine._specs import opaque

    assert replayable(list_of(STR))
    assert not replayable(list_of(opaque("Text")))


def test_dataclass_values_round_trip_through_the_solver() -> None:
    from fmlab.refine._pytypes import Kind, PyType
    from fmlab.refine._values import RecordValue, decode, encode, replayable

    point = PyType(Kind.RECORD, (INT, list_of(INT)), "Point", ("x", "ys"))
    value = RecordValue("Point", {"x": -3, "ys": [1, 2]})
    term = encode(value, point)
    back = decode(z3.simplify(term), point)
    assert back == value
    assert repr(back) == "Point(x=-3, ys=[1, 2])"
    assert replayable(point)
