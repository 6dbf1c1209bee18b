"""Comparing two policies (or policy sets): which one allows more, with witnesses.

The offline counterpart of Access Analyzer's CheckNoNewAccess. Each direction is one
solver query, "a request that A allows and B does not"; a model becomes a witness
request, replayed by the concrete evaluator before it is reported.

>>> from fmlab.iam._catalog import Catalog
>>> from fmlab.iam._parser import parse_policy
>>> def identity(*statements):
...     return PolicySet(identity=(parse_policy({"Statement": list(statements)}),))
>>> read = identity({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"})
>>> everything_but_put = identity(
...     {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
...     {"Effect": "Deny", "Action": "s3:Put*", "Resource": "*"})
>>> catalog = Catalog.from_mapping({"s3": ["GetObject", "PutObject", "ListBucket"]})
>>> result = compare(read, everything_but_put, catalog=catalog)
>>> result.relation.value, result.b_not_a_request().action
('less-permissive', 's3:ListBucket')
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from typing import Any

import z3

from fmlab.core.errors import UnsupportedError
from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.core.solving import Satisfiability, new_solver, solve, unknown_from
from fmlab.iam._catalog import Catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._request import Request
from fmlab.iam._symbolic import Encoder
from fmlab.iam._text import WIDTH, json_lines, wrapped
from fmlab.iam._witness import minimise

Result = Proved | Refuted[Request] | Unknown


class Relation(enum.Enum):
    """How A relates to B."""

    EQUIVALENT = "equivalent"
    LESS_PERMISSIVE = "less-permissive"
    MORE_PERMISSIVE = "more-permissive"
    INCOMPARABLE = "incomparable"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Comparison:
    relation: Relation
    a_not_b: Result
    """Proved: B allows all that A allows. Refuted: a request A allows and B does not."""
    b_not_a: Result
    bounds: tuple[str, ...]
    seconds: float

    def a_not_b_request(self) -> Request | None:
        return self.a_not_b.witness if isinstance(self.a_not_b, Refuted) else None

    def b_not_a_request(self) -> Request | None:
        return self.b_not_a.witness if isinstance(self.b_not_a, Refuted) else None

    def to_json(self) -> dict[str, Any]:
        def witness(result: Result) -> Any:
            return result.witness.to_json() if isinstance(result, Refuted) else None

        out: dict[str, Any] = {
            "relation": self.relation.value,
            "a_not_b": witness(self.a_not_b),
            "b_not_a": witness(self.b_not_a),
            "bounds": list(self.bounds),
            "seconds": round(self.seconds, 3),
        }
        unknown = [r.explain() for r in (self.a_not_b, self.b_not_a) if isinstance(r, Unknown)]
        if unknown:
            out["unknown"] = unknown
        return out

    def explain(self, width: int = WIDTH) -> str:
        """The relation in words and each direction's witness request as indented JSON
        (one member a line, so that it fits the page and still parses), within ``width``."""
        summary = {
            Relation.EQUIVALENT: "A and B allow the same requests",
            Relation.LESS_PERMISSIVE: "A is less permissive than B",
            Relation.MORE_PERMISSIVE: "A is more permissive than B",
            Relation.INCOMPARABLE: "incomparable: each allows a request the other does not",
            Relation.UNKNOWN: "unknown: the solver could not decide",
        }[self.relation]
        lines = wrapped(f"{summary} ({self.seconds:.2f} s)", "", width)
        for label, result in (
            ("A allows, B does not", self.a_not_b),
            ("B allows, A does not", self.b_not_a),
        ):
            if isinstance(result, Refuted):
                lines.append(f"  {label}:")
                lines += json_lines(result.witness.to_json(), "    ", width)
            elif isinstance(result, Proved):
                lines.append(f"  {label}: nothing")
            else:
                # One paragraph: core's explain() has already folded it at its own width.
                said = " ".join(result.explain().split())
                lines += wrapped(f"{label}: {said}", "  ", width)
        return "\n".join(lines)


def _relation(a_not_b: Result, b_not_a: Result) -> Relation:
    if isinstance(a_not_b, Unknown) or isinstance(b_not_a, Unknown):
        return Relation.UNKNOWN
    if a_not_b.proved and b_not_a.proved:
        return Relation.EQUIVALENT
    if a_not_b.proved:
        return Relation.LESS_PERMISSIVE
    if b_not_a.proved:
        return Relation.MORE_PERMISSIVE
    return Relation.INCOMPARABLE


def compare(
    a: PolicySet,
    b: PolicySet,
    *,
    catalog: Catalog | None = None,
    timeout_ms: int | None = None,
) -> Comparison:
    """Compare what ``a`` and ``b`` allow, over every request the encoding covers."""
    started = time.perf_counter()
    try:
        encoder = Encoder([a, b], catalog=catalog, root_user=False)
    except UnsupportedError as error:
        unknown = Unknown("compare", UnknownReason.UNSUPPORTED, str(error))
        return Comparison(Relation.UNKNOWN, unknown, unknown, (), time.perf_counter() - started)
    _, allow_a = encoder.decision(0)
    _, allow_b = encoder.decision(1)
    bound = "; ".join(encoder.bounds)
    solver = new_solver(timeout_ms=timeout_ms)
    solver.add(*encoder.constraints)

    def direction(claim: str, first: PolicySet, second: PolicySet, query: z3.BoolRef) -> Result:
        outcome = solve([query], solver=solver)
        if outcome.status is Satisfiability.UNSAT:
            return Proved(claim, bound)
        if outcome.status is Satisfiability.UNKNOWN or outcome.model is None:
            return unknown_from(claim, outcome)

        def differs(request: Request) -> bool:
            return (
                evaluate(first, request).decision is Decision.ALLOW
                and evaluate(second, request).decision is not Decision.ALLOW
            )

        witness = minimise(encoder.decode(outcome.model), differs)
        return refute(claim, witness, replay=differs, bound=bound)

    a_not_b = direction("B allows every request A allows", a, b, z3.And(allow_a, z3.Not(allow_b)))
    b_not_a = direction("A allows every request B allows", b, a, z3.And(allow_b, z3.Not(allow_a)))
    return Comparison(
        _relation(a_not_b, b_not_a),
        a_not_b,
        b_not_a,
        tuple(encoder.bounds),
        time.perf_counter() - started,
    )
