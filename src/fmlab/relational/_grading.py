"""Checking a reader's answer to an exercise with the solver, without giving the answer away.

An answer is a formula meant to mean the same as a hidden reference. The solver looks for
a world where the two disagree; the feedback shows that world and says which way the
answer is wrong ("your predicate holds here, but it should not"), never the reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.core.instance import Instance
from fmlab.core.result import Proved, Refuted, Unknown
from fmlab.relational._analysis import check
from fmlab.relational._evaluate import holds
from fmlab.relational._model import Model
from fmlab.relational._syntax import Formula


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer and, when it is wrong, a world that shows why."""

    correct: bool
    message: str
    world: Instance | None = None

    def __str__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return ("✅ " if self.correct else "❌ ") + self.message


def grade(
    model: Model, answer: Formula, reference: Formula, *, what: str = "your answer"
) -> Feedback:
    """Compare ``answer`` with ``reference`` over every world of ``model`` within its scopes."""
    result = check(model, answer.iff(reference))
    match result:
        case Proved():
            return Feedback(
                True,
                f"Correct: {what} agrees with the specification "
                f"in every world {model.bound_text()}.",
            )
        case Refuted(witness=world):
            if holds(answer, world):
                direction = f"{what} holds in this world, but the specification says it should not"
            else:
                direction = f"{what} is false in this world, but the specification says it holds"
            return Feedback(False, f"Not yet: {direction}: {world}", world)
        case Unknown():
            return Feedback(False, f"Could not decide within the budget: {result.explain()}")
    raise AssertionError(f"unexpected result {result!r}")  # pragma: no cover
