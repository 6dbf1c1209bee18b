"""What a modular counterexample assumes: the callee results and measure values it chose.

The checker is modular: a call is read through the callee's signature, and a measure it
cannot unfold is an uninterpreted function. A failure found that way holds for *some*
result the signature allows, not necessarily for the one the callee's code returns, so
running the function on the inputs alone may pass. Such a counterexample is still worth
showing (the function does not check against its callees' contracts), but only together
with the values the solver chose: ``x = 1, assuming double(1) returned 3``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import z3

from fmlab.refine._pytypes import Kind
from fmlab.refine._terms import uninterpreted_names
from fmlab.refine._values import Value, decode, replayable


@dataclass(frozen=True)
class Assumption:
    """``name(arguments)`` was taken to be ``result``: a callee's return or a measure."""

    name: str
    arguments: tuple[Any, ...]
    result: Any
    measure: bool = False
    # False when a value is opaque (shown as text): a replay cannot stub it.
    concrete: bool = True

    @property
    def text(self) -> str:
        call = f"{self.name}({', '.join(repr(argument) for argument in self.arguments)})"
        if self.measure:
            return f"{call} == {self.result!r}"
        return f"{call} returned {self.result!r}"

    def explain(self) -> str:
        """The assumption with the reason it is allowed."""
        if self.measure:
            return f"{self.text} (the measure {self.name} is not unfolded)"
        return f"{self.text}, which {self.name}'s signature allows"


def relevant(chosen: Sequence[Any], formula: z3.ExprRef) -> list[Any]:
    """The chosen values (:class:`~fmlab.refine._expressions.Chosen`) ``formula`` mentions."""
    names = uninterpreted_names([formula])
    found = []
    for site in chosen:
        if site.measure:
            term = site.result.term
            if term is not None and z3.is_app(term) and term.decl().name() in names:
                found.append(site)
        elif any(
            z3.is_const(term) and term.decl().name() in names for term in site.result.constants()
        ):
            found.append(site)
    return found


def describe(model: z3.ModelRef, chosen: Sequence[Any]) -> tuple[Assumption, ...]:
    """What the model chose for each site, as Python values, without repeats."""
    seen: dict[str, Assumption] = {}
    for site in chosen:
        arguments = tuple(_python(model, argument) for argument in site.arguments)
        result = _python(model, site.result)
        concrete = all(replayable(value.type) for value in (*site.arguments, site.result))
        assumption = Assumption(site.name, arguments, result, site.measure, concrete)
        seen.setdefault(assumption.text, assumption)
    return tuple(seen.values())


def _python(model: z3.ModelRef, value: Value) -> Any:
    if value.type.kind is Kind.TUPLE:
        return tuple(_python(model, item) for item in value.items)
    if value.type.kind is Kind.NONE:
        return None
    return decode(model.eval(value.term, model_completion=True), value.type)
