"""Declarations: names, scopes, multiplicities written out as formulas."""

from __future__ import annotations

import pytest

from fmlab.relational._model import Model, pred
from fmlab.relational._syntax import Signature, some


def test_names_are_unique() -> None:
    m = Model("m")
    A = m.sig("A")
    with pytest.raises(ValueError, match="already declares"):
        m.sig("A")
    m.relation("r", A, A)
    with pytest.raises(ValueError, match="already declares"):
        m.enum("r", ["x"])


def test_relations_use_declared_signatures_only() -> None:
    m = Model("m")
    with pytest.raises(ValueError, match="not declared"):
        m.relation("r", Signature("Stranger"))


def test_bad_scopes_and_multiplicities() -> None:
    with pytest.raises(ValueError, match="at least 0"):
        Model("m", default_scope=-1)
    m = Model("m")
    A = m.sig("A")
    with pytest.raises(ValueError, match="at least 0"):
        m.sig("B", scope=-2)
    with pytest.raises(ValueError, match="multiplicity"):
        m.relation("r", A, A, multiplicity="many")
    with pytest.raises(ValueError, match="two columns"):
        m.relation("s", A, multiplicity="one")
    with pytest.raises(ValueError, match="distinct"):
        m.enum("E", ["x", "x"])


def test_multiplicity_facts_for_ternary_relations() -> None:
    m = Model("m")
    A, B, C = m.sig("A"), m.sig("B"), m.sig("C")
    m.relation("r", A, B, C, multiplicity="one")
    assert [str(f) for f in m.multiplicity_facts()] == ["all a0: A | all b1: B | one b1.(a0.r)"]


def test_bound_text_lists_exact_scopes_and_skips_enums() -> None:
    m = Model("m", default_scope=4)
    m.sig("A")
    m.sig("B", scope=2, exactly=True)
    m.enum("E", ["x", "y"])
    assert m.bound_text() == "for 4 A, exactly 2 B"
    assert Model("empty").bound_text() == "for the enums only"


def test_facts_must_be_formulas() -> None:
    m = Model("m")
    A = m.sig("A")
    with pytest.raises(TypeError):
        m.fact(A)  # type: ignore[arg-type]
    named = pred("Inhabited", some(A))
    m.fact(named)
    assert [str(f) for f in m.all_facts()] == ["Inhabited"]
