"""The raw-pointer term walks agree with a walk through z3's Python objects, and the one-call
builders make the very terms z3.And and z3.Implies make."""

from __future__ import annotations

from collections.abc import Iterable

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.refine._terms import applications, conjunction, implication, subterms

_X, _Y = z3.Ints("x y")
_XS = z3.Const("xs", z3.SeqSort(z3.IntSort()))
_F = z3.Function("f", z3.IntSort(), z3.IntSort())
_SORTED = z3.Function("sorted", z3.SeqSort(z3.IntSort()), z3.BoolSort())


def _ints() -> st.SearchStrategy[z3.ArithRef]:
    leaves = st.sampled_from([_X, _Y, z3.IntVal(0), z3.IntVal(3), z3.Length(_XS)])
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda p: p[0] + p[1]),
            st.tuples(inner, inner).map(lambda p: p[0] * p[1]),
            inner.map(lambda t: _F(t)),
            inner.map(lambda t: _XS[t]),
        ),
        max_leaves=6,
    )


def _formulas() -> st.SearchStrategy[z3.BoolRef]:
    atoms = st.one_of(
        st.tuples(_ints(), _ints()).map(lambda p: p[0] <= p[1]),
        st.just(_SORTED(_XS)),
    )
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda fs: z3.And(*fs)),
            inner.map(z3.Not),
            inner.map(lambda body: z3.ForAll([_X], body)),
        ),
        max_leaves=5,
    )


def _reference(formulas: Iterable[z3.ExprRef], *, into_quantifiers: bool) -> list[z3.ExprRef]:
    # The walk as z3's Python API writes it: every distinct subterm once, by id.
    seen: set[int] = set()
    found = []
    stack = list(formulas)
    while stack:
        term = stack.pop()
        if term.get_id() in seen:
            continue
        seen.add(term.get_id())
        found.append(term)
        if z3.is_app(term):
            stack.extend(term.children())
        elif z3.is_quantifier(term) and into_quantifiers:
            stack.append(term.body())
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(_formulas(), min_size=1, max_size=3))
def test_subterms_visits_what_the_python_walk_visits(formulas: list[z3.BoolRef]) -> None:
    walked = [term.get_id() for term in subterms(formulas)]
    assert len(walked) == len(set(walked))
    expected = {term.get_id() for term in _reference(formulas, into_quantifiers=True)}
    assert set(walked) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(_formulas(), min_size=1, max_size=3))
def test_applications_are_the_reads_and_uninterpreted_applications_outside_quantifiers(
    formulas: list[z3.BoolRef],
) -> None:
    kinds = {z3.Z3_OP_UNINTERPRETED, z3.Z3_OP_SEQ_NTH}
    ids = {_XS.get_id()}
    seen: set[int] = set()
    found = applications(formulas, seen, kinds=kinds, ids=ids)
    expected = [
        term
        for term in _reference(formulas, into_quantifiers=False)
        if term.get_id() in ids
        or (z3.is_app(term) and term.num_args() > 0 and term.decl().kind() in kinds)
    ]
    assert sorted(t.get_id() for t in found) == sorted(t.get_id() for t in expected)
    # The wrapped terms are z3's own classes (a read of a list of ints is arithmetic).
    assert all(type(t) is type(e) for t, e in zip(
        sorted(found, key=z3.ExprRef.get_id), sorted(expected, key=z3.ExprRef.get_id), strict=True
    ))  # fmt: skip
    # What was seen is not found again.
    assert applications(formulas, seen, kinds=kinds, ids=ids) == []


def test_a_read_inside_a_quantifier_is_not_an_application_of_the_formula() -> None:
    bound = z3.ForAll([_X], _XS[_X] > 0)
    assert applications([bound], set(), kinds={z3.Z3_OP_SEQ_NTH}) == []
    assert any(z3.is_app_of(t, z3.Z3_OP_SEQ_NTH) for t in subterms([bound]))


@given(st.lists(_formulas(), max_size=4))
def test_conjunction_is_z3_and(formulas: list[z3.BoolRef]) -> None:
    built = conjunction(formulas)
    assert built.eq(z3.And(*formulas)) if formulas else z3.is_true(built)


@given(_formulas(), _formulas())
def test_implication_is_z3_implies(premise: z3.BoolRef, conclusion: z3.BoolRef) -> None:
    assert implication(premise, conclusion).eq(z3.Implies(premise, conclusion))
