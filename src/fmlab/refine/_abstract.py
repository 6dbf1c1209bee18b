"""Instantiating an abstract refinement at a call: the strongest predicate the callee allows.

A function generic in a predicate variable ``p`` was checked for every ``p``, so any choice
at a call is sound. The checker chooses "``p`` holds of exactly the values the callee's
parameter refinements apply it to": every application in a precondition then holds by
construction, and what the result's refinement says becomes "the result is one of those
values". The applications are recorded while the parameters' refinements are read:

* ``p(x)`` or ``r(x, y)`` in a refinement records the values themselves;
* ``list[Annotated[int, "p(_)"]]`` records ``p(xs[k])`` for *any* position ``k`` in range;
* ``r(xs)`` (a predicate variable of two arguments applied to a list: every element related
  to every later one) records ``r(xs[i], xs[j])`` for any ``i < j``.

An application "at any position" is an existential statement: ``p(v)`` holds when ``v`` is
``xs[k]`` for some ``k``. Read as a fact, a fresh constant ``k`` stands for that position (a
constant free in a verification condition is universally quantified over all of it, which
is the existential of the hypothesis). Read as a goal, a fresh constant would demand every
position; so when the value *is written* as a read of the recorded list, ``xs[t]``, the
position ``t`` is matched and only its range is left to prove. Both readings imply the
predicate, and the fact reading is implied by it, so a proof with them is a proof for the
chosen predicate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import z3

from fmlab.refine._values import Value, equal

Interpretation = Callable[[tuple[Value, ...]], z3.BoolRef]
"""What an abstract refinement means where it is read: a formula for its arguments."""


@dataclass(frozen=True)
class Application:
    """One application ``p(values)`` a callee's parameters make at a call.

    ``indices`` are the fresh constants that stand for "any position" and ``guard`` says
    which positions (in range, and ordered for a relation applied to a list).
    """

    values: tuple[Value, ...]
    indices: tuple[z3.ArithRef, ...] = ()
    guard: z3.BoolRef | None = None

    @cached_property
    def reads(self) -> tuple[tuple[int, int, z3.ExprRef] | None, ...]:
        """For each value that is a read ``s[k]`` at an "any position" ``k``: the ids of
        ``s`` and ``k``, and ``k`` (z3 calls are slow: matching is done on these ids)."""
        indices = {index.get_id() for index in self.indices}
        found: list[tuple[int, int, z3.ExprRef] | None] = []
        for value in self.values:
            term = value.term
            if term is not None and z3.is_app_of(term, z3.Z3_OP_SEQ_NTH):
                index = term.arg(1)
                if index.get_id() in indices:
                    found.append((term.arg(0).get_id(), index.get_id(), index))
                    continue
            found.append(None)
        return tuple(found)


def _rename(value: Value, pairs: list[tuple[z3.ExprRef, z3.ExprRef]]) -> Value:
    if not pairs or value.term is None:
        return value
    return Value(value.type, z3.substitute(value.term, *pairs), value.items)


def _matched_positions(
    values: tuple[Value, ...], application: Application
) -> list[tuple[z3.ExprRef, z3.ExprRef]] | None:
    """The positions at which ``values`` are written as the application's reads, if they are."""
    bound: dict[int, tuple[z3.ExprRef, z3.ExprRef]] = {}
    for value, read in zip(values, application.reads, strict=True):
        if read is None:
            continue
        sequence, index_id, index = read
        term = value.term
        if term is None or not z3.is_app_of(term, z3.Z3_OP_SEQ_NTH):
            return None
        if term.arg(0).get_id() != sequence:
            return None
        position = term.arg(1)
        if index_id in bound and bound[index_id][1].get_id() != position.get_id():
            return None
        bound[index_id] = (index, position)
    if len(bound) != len(application.indices):
        return None
    return list(bound.values())


def _holds_at(
    values: tuple[Value, ...],
    application: Application,
    pairs: list[tuple[z3.ExprRef, z3.ExprRef]],
) -> z3.BoolRef:
    guard = application.guard if application.guard is not None else z3.BoolVal(True)
    if pairs:
        guard = z3.substitute(guard, *pairs)
    same = [
        equal(value, _rename(recorded, pairs))
        for value, recorded in zip(values, application.values, strict=True)
    ]
    return z3.And(guard, *same)


class Strongest:
    """``p`` holds of exactly the recorded applications (see the module's text).

    The positions of an application "at any position" are named, in a fact, by functions
    of the values (Skolem functions: the same values always get the same positions, so a
    query does not grow a new read each time it mentions them).
    """

    def __init__(self, applications: Sequence[Application]) -> None:
        self.applications = tuple(applications)
        self._witnesses: dict[tuple[int, int], z3.FuncDeclRef] = {}

    # [start:strongest-instance]
    def __call__(self, values: tuple[Value, ...]) -> z3.BoolRef:
        options: list[z3.BoolRef] = []
        for number, application in enumerate(self.applications):
            if not self._fits(values, application):
                continue
            matched = _matched_positions(values, application) if application.indices else None
            if matched is not None:
                options.append(_holds_at(values, application, matched))
            options.append(_holds_at(values, application, self._named(number, values)))
        return z3.Or(*options) if options else z3.BoolVal(False)

    # [end:strongest-instance]

    def in_order(self, values: tuple[Value, ...]) -> z3.BoolRef:
        """``p(s[i], s[j])`` where the caller knows ``0 <= i < j < len(s)``, as a relation
        applied to ``s`` reads it: for a recorded list, the order is all there is to it."""
        for application in self.applications:
            if len(application.indices) == 2 and self._fits(values, application):
                matched = _matched_positions(values, application)
                if matched is not None:
                    # Its guard is the order the caller already knows: nothing to add.
                    return z3.BoolVal(True)
        return self(values)

    @staticmethod
    def _fits(values: tuple[Value, ...], application: Application) -> bool:
        return len(application.values) == len(values) and all(
            a.type.plain() == b.type.plain()
            for a, b in zip(values, application.values, strict=True)
        )

    def _named(self, number: int, values: tuple[Value, ...]) -> list[tuple[z3.ExprRef, z3.ExprRef]]:
        application = self.applications[number]
        if any(value.term is None for value in values):
            return [(index, z3.FreshInt("at")) for index in application.indices]
        pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
        for position, index in enumerate(application.indices):
            witness = self._witnesses.get((number, position))
            if witness is None:
                domain = [value.term.sort() for value in values]
                witness = z3.FreshFunction(*domain, z3.IntSort())
                self._witnesses[(number, position)] = witness
            pairs.append((index, witness(*[value.term for value in values])))
        return pairs


def strongest(applications: Sequence[Application]) -> Strongest:
    """The strongest instance the recorded applications allow."""
    return Strongest(applications)


__all__ = ["Application", "Interpretation", "Strongest", "strongest"]
