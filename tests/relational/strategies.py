"""Hypothesis strategies for small relational worlds and random terms over them."""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

from fmlab.core.instance import Instance
from fmlab.relational._model import Model
from fmlab.relational._syntax import (
    Expr,
    Formula,
    Relation,
    Signature,
    all_,
    exists,
    lone,
    no,
    one,
    some,
)

SCOPE = 2


def tiny_model() -> tuple[Model, Signature, Signature, Relation, Relation]:
    m = Model("tiny", default_scope=SCOPE)
    A, B = m.sig("A"), m.sig("B")
    r = m.relation("r", A, B)
    s = m.relation("s", A, A)
    return m, A, B, r, s


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    """A world of the tiny model: a prefix of each signature's atoms, any tuples over them."""
    a = [f"A{i}" for i in range(draw(st.integers(0, SCOPE)))]
    b = [f"B{i}" for i in range(draw(st.integers(0, SCOPE)))]
    pairs_r = list(itertools.product(a, b))
    pairs_s = list(itertools.product(a, a))
    r = [p for p in pairs_r if draw(st.booleans())]
    s = [p for p in pairs_s if draw(st.booleans())]
    return Instance.build({"A": a, "B": b}, {"r": r, "s": s})


def expressions(
    A: Signature, B: Signature, r: Relation, s: Relation
) -> dict[int, st.SearchStrategy[Expr]]:
    """Random expressions of arity 1 and 2, built only from well-typed combinations."""
    unary_leaf = st.sampled_from([A, B])
    binary_leaf = st.sampled_from([r, s])

    def extend_unary(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.one_of(
            st.tuples(children, children).map(lambda p: p[0] + p[1]),
            st.tuples(children, children).map(lambda p: p[0] & p[1]),
            st.tuples(children, children).map(lambda p: p[0] - p[1]),
            st.tuples(children, binary_leaf).map(lambda p: p[0] @ p[1]),
            st.tuples(binary_leaf, children).map(lambda p: p[0] @ p[1]),
        )

    unary = st.recursive(unary_leaf, extend_unary, max_leaves=4)

    def extend_binary(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.one_of(
            st.tuples(children, children).map(lambda p: p[0] + p[1]),
            st.tuples(children, children).map(lambda p: p[0] & p[1]),
            st.tuples(children, children).map(lambda p: p[0] - p[1]),
            st.tuples(children, children).map(lambda p: p[0] @ p[1]),
            children.map(lambda e: ~e),
            children.map(lambda e: e.closure()),
            st.tuples(unary, unary).map(lambda p: p[0] * p[1]),
        )

    binary = st.recursive(binary_leaf, extend_binary, max_leaves=4)
    return {1: unary, 2: binary}


def formulas(A: Signature, B: Signature, r: Relation, s: Relation) -> st.SearchStrategy[Formula]:
    exprs = expressions(A, B, r, s)
    atoms = st.one_of(
        *[
            st.tuples(st.sampled_from([no, some, one, lone]), exprs[k]).map(lambda p: p[0](p[1]))
            for k in (1, 2)
        ],
        *[st.tuples(exprs[k], exprs[k]).map(lambda p: p[0].in_(p[1])) for k in (1, 2)],
        *[st.tuples(exprs[k], exprs[k]).map(lambda p: p[0].eq(p[1])) for k in (1, 2)],
        st.tuples(exprs[2], exprs[1]).map(
            lambda p: all_(A, lambda x: some((x @ p[0]) & p[1]) | no(x @ r))
        ),
        st.tuples(exprs[1]).map(lambda p: exists(A, B, lambda x, y: (x * y).in_(r) & some(p[0]))),
    )

    def extend(children: st.SearchStrategy[Formula]) -> st.SearchStrategy[Formula]:
        return st.one_of(
            st.tuples(children, children).map(lambda p: p[0] & p[1]),
            st.tuples(children, children).map(lambda p: p[0] | p[1]),
            st.tuples(children, children).map(lambda p: p[0].implies(p[1])),
            children.map(lambda f: ~f),
        )

    return st.recursive(atoms, extend, max_leaves=3)
