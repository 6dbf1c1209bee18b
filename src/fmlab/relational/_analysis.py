"""Alloy's two commands on z3: ``run`` finds an example, ``check`` looks for a counterexample.

Both are one search. ``check A`` asks for a world where the facts hold and ``A`` fails;
``run P`` asks the solver to refute "no world satisfies ``P``", so the example it finds is a
counterexample to that claim. That is why both return the same result type: a
:class:`~fmlab.core.result.Refuted` carries the instance, a :class:`~fmlab.core.result.Proved`
says none exists *within the scopes*, and an :class:`~fmlab.core.result.Unknown` says the
budget ran out.
"""

from __future__ import annotations

import time

import z3

from fmlab.core.instance import Instance
from fmlab.core.result import Proved, Refuted, Unknown, refute
from fmlab.core.solving import (
    Outcome,
    Satisfiability,
    default_timeout_ms,
    new_solver,
    solve,
    unknown_from,
)
from fmlab.relational._encode import Encoding
from fmlab.relational._evaluate import holds
from fmlab.relational._model import Model
from fmlab.relational._syntax import TRUE, Formula, Not, conjunction

Result = Proved | Refuted[Instance] | Unknown


def _facts(model: Model) -> Formula:
    return conjunction(*model.all_facts())


def _search(
    encoding: Encoding, goal: Formula, *, timeout_ms: int | None, smallest: bool
) -> Outcome:
    """Find a model of ``goal``; with ``smallest``, one with the fewest atoms and tuples.

    Small instances are easier to read, so the chapter asks for them. The minimisation is a
    nicety: if z3's optimiser cannot finish within the budget, a plain search answers.
    """
    assertions = [*encoding.constraints, encoding.formula(goal)]
    if smallest:
        optimizer = z3.Optimize()
        optimizer.set("timeout", timeout_ms if timeout_ms is not None else default_timeout_ms())
        optimizer.add(*assertions)
        for term in encoding.size_terms():
            optimizer.add_soft(z3.Not(term))
        started = time.perf_counter()
        if optimizer.check() == z3.sat:
            return Outcome(Satisfiability.SAT, optimizer.model(), "", time.perf_counter() - started)
    return solve(assertions, timeout_ms=timeout_ms)


def run(
    model: Model,
    predicate: Formula = TRUE,
    *,
    timeout_ms: int | None = None,
    smallest: bool = True,
) -> Result:
    """Look for an instance of ``model`` in which ``predicate`` holds.

    Returns :class:`Refuted` of the claim "no instance satisfies ``predicate``" with the
    instance as its witness, replayed by :func:`~fmlab.relational._evaluate.holds`.
    """
    claim = f"no instance of {model.name} satisfies {predicate} {model.bound_text()}"
    wanted = conjunction(_facts(model), predicate)
    encoding = Encoding(model)
    outcome = _search(encoding, wanted, timeout_ms=timeout_ms, smallest=smallest)
    if outcome.status is Satisfiability.UNSAT:
        return Proved(claim, model.bound_text())
    if outcome.status is Satisfiability.UNKNOWN:
        return unknown_from(claim, outcome)
    assert outcome.model is not None
    instance = encoding.decode(outcome.model, title=f"run {predicate}")
    return refute(
        claim,
        instance,
        replay=lambda world: holds(wanted, world),
        replayed_by="evaluating the facts and the predicate on the instance",
        bound=model.bound_text(),
    )


def check(
    model: Model,
    assertion: Formula,
    *,
    timeout_ms: int | None = None,
    smallest: bool = True,
) -> Result:
    """Look for an instance of ``model`` in which ``assertion`` fails.

    :class:`Proved` means no counterexample exists within the scopes (Alloy: "No
    counterexample found. Assertion may be valid."), which is a bounded guarantee; the
    result's ``bound`` says which bounds.
    """
    claim = f"{assertion} {model.bound_text()}"
    facts = _facts(model)
    encoding = Encoding(model)
    counter = conjunction(facts, Not(assertion))
    outcome = _search(encoding, counter, timeout_ms=timeout_ms, smallest=smallest)
    if outcome.status is Satisfiability.UNSAT:
        return Proved(str(assertion), model.bound_text())
    if outcome.status is Satisfiability.UNKNOWN:
        return unknown_from(claim, outcome)
    assert outcome.model is not None
    instance = encoding.decode(outcome.model, title=f"counterexample to {assertion}")
    return refute(
        str(assertion),
        instance,
        replay=lambda world: holds(facts, world) and not holds(assertion, world),
        replayed_by="evaluating the facts and the assertion on the instance",
        bound=model.bound_text(),
    )


def instances(
    model: Model,
    predicate: Formula = TRUE,
    *,
    limit: int = 10,
    timeout_ms: int | None = None,
) -> list[Instance]:
    """Up to ``limit`` distinct instances satisfying ``predicate`` (Alloy's "Next" button).

    Each is replayed concretely; one that fails its replay raises ``AssertionError``
    because that can only be a bug in the translation. A timeout ends the list early.
    """
    wanted = conjunction(_facts(model), predicate)
    encoding = Encoding(model)
    solver = new_solver(timeout_ms=timeout_ms)
    solver.add(*encoding.constraints, encoding.formula(wanted))
    found: list[Instance] = []
    while len(found) < limit and solver.check() == z3.sat:
        z3_model = solver.model()
        instance = encoding.decode(z3_model, title=f"instance {len(found) + 1}")
        if not holds(wanted, instance):
            raise AssertionError(f"instance does not satisfy {predicate}: {instance}")
        found.append(instance)
        solver.add(encoding.blocking_clause(z3_model))
    return found
