"""run and check: known answers, honest bounds, and agreement with brute-force enumeration."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason
from fmlab.relational import Model, all_, check, exists, instances, no, one, run, some
from fmlab.relational._enumerate import counterexample_by_enumeration, find_by_enumeration
from fmlab.relational._evaluate import holds
from fmlab.relational._examples import access_model, no_contradiction, reaches_one_resource_only
from fmlab.relational._syntax import Formula, conjunction
from tests.relational.strategies import formulas, tiny_model


def _family(scope: int = 3) -> tuple[Model, object, object]:
    m = Model("family", default_scope=scope)
    Person = m.sig("Person")
    parent = m.relation("parent", Person, Person)
    return m, Person, parent


# -- check ---------------------------------------------------------------------------


def test_check_refutes_with_a_confirmed_counterexample() -> None:
    m = Model("family", default_scope=3)
    Person = m.sig("Person")
    parent = m.relation("parent", Person, Person)
    acyclic = all_(Person, lambda p: no(p & p @ parent.closure()))
    result = check(m, acyclic)
    assert isinstance(result, Refuted)
    assert not holds(acyclic, result.witness)
    assert result.bound == "for 3 Person"


def test_check_proves_within_the_bound_only() -> None:
    m = Model("family", default_scope=3)
    Person = m.sig("Person")
    parent = m.relation("parent", Person, Person)
    m.fact(all_(Person, lambda p: no(p & p @ parent.closure())))
    result = check(m, all_(Person, lambda p: no(p @ parent & p)))
    assert isinstance(result, Proved)
    assert result.bound == "for 3 Person"


def test_closure_reaches_the_end_of_a_long_chain() -> None:
    # Five people in a line need three rounds of squaring; a short unrolling would miss it.
    m = Model("line", default_scope=5)
    Person = m.sig("Person", scope=5, exactly=True)
    parent = m.relation("parent", Person, Person, multiplicity="lone")
    m.fact(all_(Person, lambda p: no(p & p @ parent.closure())))
    m.fact(some(Person - Person @ parent))  # someone with no parent... the root
    claim = exists(Person, lambda p: (Person - p).in_(p @ parent.closure()))
    result = run(m, claim)
    assert isinstance(result, Refuted)
    assert holds(claim, result.witness)


def test_the_talks_contradiction_is_found() -> None:
    world = access_model(3)
    result = check(world.model, no_contradiction(world))
    assert isinstance(result, Refuted)
    witness = result.witness
    # The smallest counterexample: one role, one policy, an Allow and a Deny on the same pair.
    assert len(witness.atoms["Role"]) == 1
    assert len(witness.atoms["Statement"]) == 2
    assert {e for _, e in witness.relations["effect"]} == {"Allow", "Deny"}


def test_run_finds_a_small_example() -> None:
    world = access_model(3)
    result = run(world.model, reaches_one_resource_only(world))
    assert isinstance(result, Refuted)
    assert len(result.witness.atoms["Resource"]) == 2


def test_run_proves_absence_when_facts_forbid_it() -> None:
    m = Model("empty", default_scope=2)
    A = m.sig("A")
    m.fact(no(A))
    result = run(m, some(A))
    assert isinstance(result, Proved)
    assert "for 2 A" in result.claim


def test_a_tiny_budget_gives_unknown_never_proved() -> None:
    world = access_model(6)
    result = check(world.model, no_contradiction(world), timeout_ms=1, smallest=False)
    assert isinstance(result, Unknown | Refuted)
    if isinstance(result, Unknown):
        assert result.reason is UnknownReason.TIMEOUT
        assert not result.proved


# -- instances ---------------------------------------------------------------------


def test_instances_are_distinct_and_satisfy_the_predicate() -> None:
    m = Model("pairs", default_scope=2)
    A = m.sig("A")
    r = m.relation("r", A, A)
    goal = one(r)
    found = instances(m, goal, limit=50)
    assert len({str(i) for i in found}) == len(found)
    assert all(holds(goal, i) for i in found)
    # Worlds with one pair: 1 atom -> 1, 2 atoms -> 4 (atoms used in order).
    assert len(found) == 5


# -- against enumeration ------------------------------------------------------------

MODEL, A, B, R, S = tiny_model()


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_check_agrees_with_enumerating_every_world(data: st.DataObject) -> None:
    assertion: Formula = data.draw(formulas(A, B, R, S))
    result = check(MODEL, assertion, smallest=False)
    brute = counterexample_by_enumeration(MODEL, assertion)
    assert isinstance(result, Proved | Refuted)
    assert isinstance(result, Refuted) == (brute is not None), str(assertion)


def test_enumeration_and_run_agree_on_the_access_model() -> None:
    world = access_model(1)
    goal = conjunction(some(world.Role), some(world.Statement))
    assert (find_by_enumeration(world.model, goal) is None) == isinstance(
        run(world.model, goal), Proved
    )


@pytest.mark.parametrize("keyword", ["one", "lone", "some"])
def test_declared_multiplicities_hold_in_every_instance(keyword: str) -> None:
    m = Model("mult", default_scope=2)
    A, B = m.sig("A"), m.sig("B")
    m.relation("f", A, B, multiplicity=keyword)
    for world in instances(m, limit=30):
        assert all(holds(fact, world) for fact in m.multiplicity_facts())
