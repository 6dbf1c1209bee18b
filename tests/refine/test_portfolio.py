"""The portfolio: lists described by their length and reads when the sequence solver stalls."""

from __future__ import annotations

import z3

from fmlab.core.solving import Satisfiability
from fmlab.refine._portfolio import _lists_of, solve_violation

XS = z3.Const("xs", z3.SeqSort(z3.IntSort()))


def test_only_lists_used_by_length_and_reads_are_described_so() -> None:
    i = z3.Int("i")
    assert _lists_of(z3.And(z3.Length(XS) > 3, XS[i] == 2)) is not None
    assert _lists_of(z3.Length(z3.Concat(XS, XS)) > 3) is None
    assert _lists_of(z3.Empty(XS.sort()) == XS) is None


def test_a_witness_needing_a_long_list_is_found_and_is_a_model_of_the_query() -> None:
    i = z3.Int("i")
    query = z3.And(z3.Length(XS) > 10000, i == z3.Length(XS) - 1, XS[i] == 7)
    outcome = solve_violation(query, timeout_ms=8000)
    assert outcome.status is Satisfiability.SAT
    assert outcome.model is not None
    assert z3.is_true(outcome.model.eval(query, model_completion=True))


def test_unsatisfiable_stays_unsatisfiable() -> None:
    query = z3.And(z3.Length(XS) > 10000, z3.Length(XS) < 5)
    assert solve_violation(query, timeout_ms=4000).status is Satisfiability.UNSAT
