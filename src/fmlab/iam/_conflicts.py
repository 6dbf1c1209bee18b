"""Contradictions the Policy Simulator cannot report, found with witnesses.

The policies given are taken as attached to one principal (identity policies). Three
kinds of finding:

* ``allow-deny-overlap``: an Allow and a Deny statement (in one policy or across
  policies) both apply to some request; the witness is such a request, replayed
  statement by statement with the concrete matcher;
* ``shadowed``: an Allow statement every one of whose requests some Deny denies: it
  changes no decision (proved, within the encoding's bounds). A proof is about every
  request, but the finding also carries one *example*: a request the Allow would grant
  and a Deny blocks, replayed like a witness;
* ``redundant``: a statement whose every request another statement of the same effect
  already covers: subsumed in meaning, not only identical text (proved likewise).

>>> from fmlab.iam._catalog import Catalog
>>> from fmlab.iam._parser import parse_policy
>>> policy = parse_policy({"Statement": [
...     {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
...     {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
...     {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*",
...      "Resource": "arn:aws:s3:::secrets/*"}]})
>>> report = find_conflicts([policy], catalog=Catalog.from_mapping({"s3": ["GetObject"]}))
>>> [(f.kind.value, [r.sid for r in f.statements]) for f in report.findings]
[('allow-deny-overlap', ['Read', 'NoSecrets']), ('allow-deny-overlap', ['All', 'NoSecrets']), \
('redundant', ['Read', 'All'])]
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import z3

from fmlab.core.errors import UnsupportedError
from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.core.solving import Satisfiability, new_solver, solve, unknown_from
from fmlab.iam._catalog import Catalog
from fmlab.iam._evaluator import PolicySet, StatementRef
from fmlab.iam._matching import statement_applies
from fmlab.iam._model import Effect, Policy, PolicyKind, Statement
from fmlab.iam._request import Request
from fmlab.iam._symbolic import Encoder
from fmlab.iam._witness import minimise


class FindingKind(enum.Enum):
    OVERLAP = "allow-deny-overlap"
    SHADOWED = "shadowed"
    REDUNDANT = "redundant"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    statements: tuple[StatementRef, ...]
    """The statement the finding is about first, then the ones that explain it."""
    result: Proved | Refuted[Request]
    message: str
    example: Request | None = None
    """For a proved finding: one request it is about (for a shadowed Allow, one the
    Allow grants and a Deny blocks), replayed with the concrete matcher."""

    @property
    def witness(self) -> Request | None:
        """The request that shows the finding: the refutation's witness, or the example
        that goes with a proof."""
        return self.result.witness if isinstance(self.result, Refuted) else self.example

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "statements": [ref.to_json() for ref in self.statements],
            "witness": self.witness.to_json() if self.witness is not None else None,
            "proved": isinstance(self.result, Proved),
            "message": self.message,
            "bound": self.result.bound,
        }


@dataclass(frozen=True)
class ConflictReport:
    findings: tuple[Finding, ...]
    unknown: tuple[Unknown, ...] = ()
    seconds: float = 0.0
    queries: int = 0
    bounds: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [f.to_json() for f in self.findings],
            "unknown": [u.to_json() for u in self.unknown],
            "queries": self.queries,
            "seconds": round(self.seconds, 3),
            "bounds": list(self.bounds),
        }


@dataclass(frozen=True)
class _Entry:
    ref: StatementRef
    statement: Statement
    policy: Policy
    formula: z3.BoolRef
    classes: frozenset[int]


def _label(entry: _Entry) -> str:
    return f"{entry.policy.name} {entry.statement.label}"


def find_conflicts(
    policies: Sequence[Policy],
    *,
    catalog: Catalog | None = None,
    timeout_ms: int | None = None,
) -> ConflictReport:
    """Overlaps, shadowed and redundant statements among ``policies`` (one principal)."""
    started = time.perf_counter()
    policy_set = PolicySet(identity=tuple(policies))
    try:
        encoder = Encoder([policy_set], catalog=catalog, root_user=False, decisions=False)
    except UnsupportedError as error:
        unknown = Unknown("conflicts", UnknownReason.UNSUPPORTED, str(error))
        return ConflictReport((), (unknown,), time.perf_counter() - started)
    bound = "; ".join(encoder.bounds)
    solver = new_solver(timeout_ms=timeout_ms)
    solver.add(*encoder.constraints)
    entries = []
    for index, policy in enumerate(policies):
        for statement in policy.statements:
            entries.append(
                _Entry(
                    StatementRef.of(PolicyKind.IDENTITY, index, policy, statement),
                    statement,
                    policy,
                    encoder.applies(statement, PolicyKind.IDENTITY),
                    encoder.action_classes(statement),
                )
            )
    findings: list[Finding] = []
    problems: list[Unknown] = []
    queries = 0

    def query(formula: z3.BoolRef) -> tuple[Satisfiability, Request | None, Unknown | None]:
        nonlocal queries
        queries += 1
        outcome = solve([formula], solver=solver)
        if outcome.status is Satisfiability.SAT and outcome.model is not None:
            return outcome.status, encoder.decode(outcome.model), None
        if outcome.status is Satisfiability.UNKNOWN:
            return outcome.status, None, unknown_from("conflicts query", outcome)
        return outcome.status, None, None

    allows = [e for e in entries if e.statement.effect is Effect.ALLOW]
    denies = [e for e in entries if e.statement.effect is Effect.DENY]
    for allow in allows:
        overlapping = [d for d in denies if allow.classes & d.classes]
        if not overlapping:
            continue
        # Shadowed first: if the denies cover the whole Allow, pairwise overlaps add nothing.
        any_deny = z3.Or([d.formula for d in overlapping])
        status, _, problem = query(z3.And(allow.formula, z3.Not(any_deny)))
        if problem:
            problems.append(problem)
        elif status is Satisfiability.UNSAT:
            status_live, live, problem_live = query(allow.formula)
            if status_live is Satisfiability.SAT:
                findings.append(
                    Finding(
                        FindingKind.SHADOWED,
                        (allow.ref, *(d.ref for d in overlapping)),
                        Proved(f"every request {_label(allow)} allows is denied", bound),
                        f"{_label(allow)} never takes effect: a Deny covers all it allows",
                        _shadow_example(live, allow, overlapping),
                    )
                )
                continue
            if problem_live:
                problems.append(problem_live)
        for deny in overlapping:
            status, witness, problem = query(z3.And(allow.formula, deny.formula))
            if problem:
                problems.append(problem)
            if witness is None:
                continue
            witness = minimise(witness, _both_apply(allow, deny))
            claim = f"{_label(allow)} and {_label(deny)} never apply to the same request"
            result = refute(
                claim,
                witness,
                replay=_both_apply(allow, deny),
                bound=bound,
            )
            if isinstance(result, Unknown):
                problems.append(result)
                continue
            findings.append(
                Finding(
                    FindingKind.OVERLAP,
                    (allow.ref, deny.ref),
                    result,
                    f"{_label(allow)} allows and {_label(deny)} denies the same request",
                )
            )
    for group in (allows, denies):
        for position, entry in enumerate(group):
            for other_position, other in enumerate(group):
                if other is entry or not entry.classes <= other.classes:
                    continue
                status, _, problem = query(z3.And(entry.formula, z3.Not(other.formula)))
                if problem:
                    problems.append(problem)
                    continue
                if status is not Satisfiability.UNSAT:
                    continue
                if other_position > position:
                    # Mutually covering statements: report only the later one.
                    back, _, _ = query(z3.And(other.formula, z3.Not(entry.formula)))
                    if back is Satisfiability.UNSAT:
                        continue
                findings.append(
                    Finding(
                        FindingKind.REDUNDANT,
                        (entry.ref, other.ref),
                        Proved(f"{_label(other)} covers every request {_label(entry)} does", bound),
                        f"{_label(entry)} is redundant: {_label(other)} already covers it",
                    )
                )
                break
    return ConflictReport(
        tuple(findings),
        tuple(problems),
        time.perf_counter() - started,
        queries,
        tuple(encoder.bounds),
    )


def _shadow_example(
    request: Request | None, allow: _Entry, denies: Sequence[_Entry]
) -> Request | None:
    """A request ``allow`` grants and one of ``denies`` blocks, when the solver's request
    replays as one (the proof stands either way; an example that does not replay is
    dropped, never shown)."""
    if request is None:
        return None

    def shows(candidate: Request) -> bool:
        return _applies(allow, candidate) and any(_applies(d, candidate) for d in denies)

    example = minimise(request, shows)
    return example if shows(example) else None


def _both_apply(first: _Entry, second: _Entry) -> Callable[[Request], bool]:
    def replay(request: Request) -> bool:
        return _applies(first, request) and _applies(second, request)

    return replay


def _applies(entry: _Entry, request: Request) -> bool:
    return statement_applies(entry.statement, request, variables=entry.policy.variables_enabled)
