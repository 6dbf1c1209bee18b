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

Each finding rests on questions of one shape ("a request all of these statements apply
to and none of those?"). ``fmlab.iam._screening`` settles most of them from the
patterns or with one replayed request; z3 answers the rest, and its encoder is built
only then.

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
from fmlab.core.result import Proved, Refuted, Unknown, refute
from fmlab.core.solving import Satisfiability, new_solver, solve, unknown_from
from fmlab.iam._catalog import Catalog
from fmlab.iam._evaluator import PolicySet, StatementRef
from fmlab.iam._matching import statement_applies
from fmlab.iam._model import Effect, Policy, PolicyKind, Statement
from fmlab.iam._request import Request
from fmlab.iam._screening import Screen, Screened
from fmlab.iam._symbolic import Encoder
from fmlab.iam._text import WIDTH, json_lines, wrapped
from fmlab.iam._universe import ActionDomain
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

    def explain(self, width: int = WIDTH) -> str:
        """``kind: message``, the statements it is about, and the request that shows it
        (indented JSON, one member a line, so that it fits and still parses)."""
        # The message's continuations go deeper than the statements listed under it.
        lines = wrapped(f"{self.kind.value}: {self.message}", "", width, hanging="    ")
        for ref in self.statements:
            lines += wrapped(f"{ref}  {ref.pointer}", "  ", width)
        if self.witness is not None:
            # A proved finding (shadowed) carries an example; an overlap, its witness.
            label = "example" if isinstance(self.result, Proved) else "witness"
            lines.append(f"  {label} (replayed):")
            lines += json_lines(self.witness.to_json(), "    ", width)
        return "\n".join(lines)


@dataclass(frozen=True)
class ConflictReport:
    findings: tuple[Finding, ...]
    unknown: tuple[Unknown, ...] = ()
    seconds: float = 0.0
    queries: int = 0
    """Questions put to z3."""
    bounds: tuple[str, ...] = field(default=())
    screened: int = 0
    """Questions settled without z3 (see ``fmlab.iam._screening``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [f.to_json() for f in self.findings],
            "unknown": [u.to_json() for u in self.unknown],
            "queries": self.queries,
            "screened": self.screened,
            "seconds": round(self.seconds, 3),
            "bounds": list(self.bounds),
        }

    def explain(self, width: int = WIDTH) -> str:
        """Every finding, then what could not be decided, then the cost, within ``width``."""
        lines = [finding.explain(width) for finding in self.findings]
        for problem in self.unknown:
            # One paragraph: core's explain() has folded it at its own, wider, width.
            lines += wrapped(" ".join(problem.explain().split()), "", width)
        if not self.findings and not self.unknown:
            lines.append("no conflicts found")
        lines.append(f"({self.queries} solver queries, {self.seconds:.2f} s)")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Entry:
    ref: StatementRef
    statement: Statement
    policy: Policy
    side: Screened

    @property
    def classes(self) -> frozenset[int]:
        return self.side.classes


def _label(entry: _Entry) -> str:
    return f"{entry.policy.name} {entry.statement.label}"


@dataclass(frozen=True)
class _Reply:
    """One question's answer: a request when some request has the asked shape, the
    bound a "no" holds within, or the reason there is no answer."""

    status: Satisfiability
    request: Request | None = None
    problem: Unknown | None = None
    bound: str = ""


class _Solver:
    """The z3 side, built only when the screen leaves a question open (most policies
    never need it)."""

    def __init__(
        self, policies: Sequence[Policy], catalog: Catalog | None, timeout_ms: int | None
    ) -> None:
        self._policies = policies
        self._catalog = catalog
        self._timeout_ms = timeout_ms
        self.encoder: Encoder | None = None
        self.failure: Unknown | None = None
        self._solver: z3.Solver | None = None
        self.queries = 0

    def _ready(self) -> Encoder | None:
        if self.encoder is None and self.failure is None:
            policy_set = PolicySet(identity=tuple(self._policies))
            try:
                self.encoder = Encoder(
                    [policy_set], catalog=self._catalog, root_user=False, decisions=False
                )
            except UnsupportedError as error:
                self.failure = Unknown("conflicts", error.reason, str(error))
                return None
            self._solver = new_solver(timeout_ms=self._timeout_ms)
            self._solver.add(*self.encoder.constraints)
        return self.encoder

    def ask(self, apply: Sequence[_Entry], avoid: Sequence[_Entry]) -> _Reply:
        encoder = self._ready()
        if encoder is None:
            return _Reply(Satisfiability.UNKNOWN, problem=self.failure)
        assert self._solver is not None
        parts = [encoder.applies(e.statement, PolicyKind.IDENTITY) for e in apply]
        if avoid:
            parts.append(
                z3.Not(z3.Or([encoder.applies(e.statement, PolicyKind.IDENTITY) for e in avoid]))
            )
        self.queries += 1
        outcome = solve([z3.And(parts)], solver=self._solver)
        if outcome.status is Satisfiability.SAT and outcome.model is not None:
            return _Reply(outcome.status, encoder.decode(outcome.model))
        if outcome.status is Satisfiability.UNKNOWN:
            return _Reply(outcome.status, problem=unknown_from("conflicts query", outcome))
        return _Reply(outcome.status, bound="; ".join(encoder.bounds))


def find_conflicts(
    policies: Sequence[Policy],
    *,
    catalog: Catalog | None = None,
    timeout_ms: int | None = None,
) -> ConflictReport:
    """Overlaps, shadowed and redundant statements among ``policies`` (one principal).

    Each question is first put to the screen (``fmlab.iam._screening``: a request
    built from the patterns and replayed, or pattern inclusion); z3 answers the rest."""
    started = time.perf_counter()
    statements = [(i, p, s) for i, p in enumerate(policies) for s in p.statements]
    actions = ActionDomain.build(
        (pattern for _i, _p, s in statements for pattern in s.actions), catalog, ()
    )
    screen = Screen(actions.representatives)
    screen_bounds = (
        f"actions: {len(actions)} classes covering the {actions.catalog_size} catalog actions "
        "and those the policies name",
        "resources and context: any (pattern inclusion)",
    )
    entries = [
        _Entry(
            StatementRef.of(PolicyKind.IDENTITY, index, policy, statement),
            statement,
            policy,
            Screened(statement, policy.variables_enabled, actions.classes_of(statement)),
        )
        for index, policy, statement in statements
    ]
    solver = _Solver(policies, catalog, timeout_ms)
    findings: list[Finding] = []
    problems: list[Unknown] = []
    screened = 0

    def query(apply: Sequence[_Entry], avoid: Sequence[_Entry] = ()) -> _Reply:
        nonlocal screened
        answer = screen.decide([e.side for e in apply], [e.side for e in avoid])
        if answer.holds is not None:
            screened += 1
            if answer.holds:
                return _Reply(Satisfiability.SAT, answer.request)
            return _Reply(Satisfiability.UNSAT, bound="; ".join(screen_bounds))
        reply = solver.ask(apply, avoid)
        if reply.problem is not None and reply.problem not in problems:
            problems.append(reply.problem)
        return reply

    allows = [e for e in entries if e.statement.effect is Effect.ALLOW]
    denies = [e for e in entries if e.statement.effect is Effect.DENY]
    for allow in allows:
        overlapping = [d for d in denies if allow.classes & d.classes]
        if not overlapping:
            continue
        # Shadowed first: if the denies cover the whole Allow, pairwise overlaps add nothing.
        shadow = query([allow], overlapping)
        if shadow.status is Satisfiability.UNSAT:
            live = query([allow])
            if live.status is Satisfiability.SAT:
                findings.append(
                    Finding(
                        FindingKind.SHADOWED,
                        (allow.ref, *(d.ref for d in overlapping)),
                        Proved(f"every request {_label(allow)} allows is denied", shadow.bound),
                        f"{_label(allow)} never takes effect: a Deny covers all it allows",
                        _shadow_example(live.request, allow, overlapping),
                    )
                )
                continue
        for deny in overlapping:
            witness = query([allow, deny]).request
            if witness is None:
                continue
            witness = minimise(witness, _both_apply(allow, deny))
            claim = f"{_label(allow)} and {_label(deny)} never apply to the same request"
            bound = "; ".join(solver.encoder.bounds if solver.encoder else screen_bounds)
            result = refute(claim, witness, replay=_both_apply(allow, deny), bound=bound)
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
                covered = query([entry], [other])
                if covered.status is not Satisfiability.UNSAT:
                    continue
                # Mutually covering statements: report only the later one.
                if (
                    other_position > position
                    and query([other], [entry]).status is Satisfiability.UNSAT
                ):
                    continue
                findings.append(
                    Finding(
                        FindingKind.REDUNDANT,
                        (entry.ref, other.ref),
                        Proved(
                            f"{_label(other)} covers every request {_label(entry)} does",
                            covered.bound,
                        ),
                        f"{_label(entry)} is redundant: {_label(other)} already covers it",
                    )
                )
                break
    bounds = list(screen_bounds)
    if solver.encoder is not None:
        bounds += [b for b in solver.encoder.bounds if b not in bounds]
    return ConflictReport(
        tuple(findings),
        tuple(problems),
        time.perf_counter() - started,
        solver.queries,
        tuple(bounds),
        screened,
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
