"""Deriving a policy from an access specification: the talk's Alloy ``run``, on z3.

Alloy's ``run`` looks for an instance of a predicate by checking its negation: an instance
is a counterexample to "no instance exists". :func:`synthesize` does the same over a
template space (:mod:`fmlab.iam._templates`): the claim checked is "no policy in the
template space meets the specification", so

- a policy found *refutes* it: a :class:`~fmlab.core.result.Refuted` whose witness is the
  policy, confirmed by the concrete evaluator on every request of the specification
  before it is returned;
- **infeasible** means the claim is *proved* within the template space, with an
  explanation (a request both required and forbidden, two requests no candidate pattern
  tells apart, or simply more statements needed);
- a timeout is :class:`~fmlab.core.result.Unknown`.

The requests are first grouped into classes with a match matrix computed by the concrete
matcher, so the solver only chooses booleans: which statements, which effect, which
patterns. Policies are minimal: fewest statements first, then fewest patterns. Each size
that is too small is an ``unsat`` answer, so minimality is a proof with the template
space as its bound.

>>> from fmlab.iam._catalog import Catalog
>>> from fmlab.iam._spec import AccessSpec
>>> small = Catalog.from_mapping({"s3": ["GetObject", "PutObject"], "iam": ["ListUsers"]})
>>> spec = AccessSpec.build(allow=[("s3:GetObject", "arn:aws:s3:::b/k")],
...                         deny=[("s3:PutObject", "arn:aws:s3:::b/k")])
>>> found = synthesize(spec, form="allow-action", catalog=small)
>>> found.status.value, found.minimality.proved
('found', True)
>>> found.solutions[0].document["Statement"]
[{'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::b/k'}]
>>> deny = synthesize(spec, form="deny-notaction", catalog=small).solutions[0]
>>> [s["Effect"] for s in deny.document["Statement"]], deny.document["Statement"][1]["NotAction"]
(['Allow', 'Deny'], 's3:GetObject')
"""

from __future__ import annotations

import enum
import itertools
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import z3

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.core.solving import Satisfiability, new_solver, solve, unknown_from
from fmlab.iam._catalog import Catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request
from fmlab.iam._spec import AccessSpec
from fmlab.iam._templates import (
    ALLOW_EVERYTHING,
    Form,
    RequestClass,
    StatementShape,
    TemplateSpace,
    action_generality,
    canonical,
    derive_space,
    policy_document,
    request_classes,
    resource_generality,
)

CLAIM = "no policy in the template space meets the specification"
MINIMAL = "no policy with fewer statements, or as many statements and fewer patterns, meets it"
MAX_STATEMENTS = 8
"""Blocking a solution takes one clause per order of its statements: keep k small."""


class SynthesisStatus(enum.Enum):
    FOUND = "found"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Solution:
    """A synthesized policy: its statements, its AWS JSON, and the parsed policy."""

    statements: tuple[StatementShape, ...]
    document: Mapping[str, Any] = field(compare=False)
    policy: Policy = field(compare=False)

    @classmethod
    def of(cls, statements: Sequence[StatementShape], name: str = "synthesized") -> Solution:
        ordered = canonical(statements)
        document = policy_document(ordered)
        return cls(ordered, document, parse_policy(document, name=name, kind=PolicyKind.IDENTITY))

    @property
    def patterns(self) -> int:
        return sum(s.patterns for s in self.statements)

    def meets(self, spec: AccessSpec) -> bool:
        """Concrete check: the evaluator allows every must-allow request and no other."""
        policies = PolicySet(identity=(self.policy,))
        return all(
            (evaluate(policies, request).decision is Decision.ALLOW) == must
            for request, must in spec.requests()
        )

    def to_json(self) -> dict[str, Any]:
        return dict(self.document)


@dataclass(frozen=True)
class Synthesis:
    status: SynthesisStatus
    form: Form
    space: TemplateSpace
    solutions: tuple[Solution, ...]
    answer: Proved | Refuted[Solution] | Unknown
    """About ``CLAIM``: refuted by the first solution, proved when infeasible."""
    minimality: Proved | Unknown | None
    """Whether the solutions are proved minimal (``None`` when nothing was found)."""
    explanation: str
    unseparated: tuple[Request, ...] = ()
    """For an infeasible spec: requests that no policy of the template can tell apart."""
    seconds: float = 0.0
    queries: int = 0

    @property
    def found(self) -> bool:
        return self.status is SynthesisStatus.FOUND

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "form": self.form.value,
            "policies": [s.to_json() for s in self.solutions],
            "statements": len(self.solutions[0].statements) if self.solutions else None,
            "patterns": self.solutions[0].patterns if self.solutions else None,
            "minimal": self.minimality.to_json() if self.minimality is not None else None,
            "answer": {k: v for k, v in self.answer.to_json().items() if k != "witness"},
            "explanation": self.explanation,
            "unseparated": [r.to_json() for r in self.unseparated],
            "template_space": self.space.describe(),
            "queries": self.queries,
            "seconds": round(self.seconds, 3),
        }

    def explain(self) -> str:
        lines = [f"{self.status.value} ({self.form.value}): {self.explanation}"]
        if self.minimality is not None:
            lines.append(f"  minimal: {self.minimality.explain()}")
        for request in self.unseparated:
            lines.append(f"  request: {json.dumps(request.to_json())}")
        for index, solution in enumerate(self.solutions, 1):
            lines.append(f"policy {index}:")
            lines.append(json.dumps(solution.document, indent=2))
        lines.append(f"({self.queries} solver queries, {self.seconds:.2f} s)")
        return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _request_text(request: Request) -> str:
    return f"{request.action} on {request.resource} by {request.principal}"


class _Encoding:
    """``slots`` statements as boolean choices, and the spec's classes as constraints."""

    def __init__(self, space: TemplateSpace, classes: Sequence[RequestClass], slots: int) -> None:
        self.space = space
        self.slots = slots
        self.allow = [z3.Bool(f"allow_{s}") for s in range(slots)]
        self.not_action = [z3.Bool(f"not_action_{s}") for s in range(slots)]
        self.not_resource = [z3.Bool(f"not_resource_{s}") for s in range(slots)]
        self.actions = [
            [z3.Bool(f"action_{s}_{p}") for p in range(len(space.actions))] for s in range(slots)
        ]
        self.resources = [
            [z3.Bool(f"resource_{s}_{q}") for q in range(len(space.resources))]
            for s in range(slots)
        ]
        self.constraints: list[z3.BoolRef] = []
        self._covered_cache: dict[tuple[int, tuple[bool, ...]], z3.BoolRef] = {}
        for s in range(slots):
            # AWS rejects an empty Action or Resource list.
            self.constraints += [z3.Or(self.actions[s]), z3.Or(self.resources[s])]
        self._form(space.form)
        for cls in classes:
            allowed = self._decided(cls)
            for must in set(cls.must_allow):
                self.constraints.append(allowed if must else z3.Not(allowed))

    def _fix(self, slot: int, shape: StatementShape) -> list[z3.BoolRef]:
        return [
            self.allow[slot] == shape.allow,
            self.not_action[slot] == shape.not_action,
            self.not_resource[slot] == shape.not_resource,
            *(
                var == (pattern in shape.actions)
                for var, pattern in zip(self.actions[slot], self.space.actions, strict=True)
            ),
            *(
                var == (pattern in shape.resources)
                for var, pattern in zip(self.resources[slot], self.space.resources, strict=True)
            ),
        ]

    def _form(self, form: Form) -> None:
        for s in range(self.slots):
            if form is Form.ALLOW_ACTION:
                self.constraints += [self.allow[s], z3.Not(self.not_action[s])]
            elif form is Form.DENY_NOT_ACTION:
                if s == 0:
                    self.constraints += self._fix(0, ALLOW_EVERYTHING)
                else:
                    self.constraints += [z3.Not(self.allow[s]), self.not_action[s]]

    # [start:decision]
    def _applies(self, slot: int, cls: RequestClass) -> z3.BoolRef:
        action = self._covered(self.actions[slot], cls.actions, self.not_action[slot])
        resource = self._covered(self.resources[slot], cls.resources, self.not_resource[slot])
        return z3.And(action, resource)

    def _covered(
        self, chosen: list[z3.BoolRef], hits: tuple[bool, ...], negated: z3.BoolRef
    ) -> z3.BoolRef:
        """ "Some chosen pattern matches" (or its complement under Not-): built once per
        slot and match column, since many requests share an action or a resource."""
        key = (id(chosen), hits)
        if key not in self._covered_cache:
            some = z3.Or([v for v, hit in zip(chosen, hits, strict=True) if hit])
            self._covered_cache[key] = z3.Xor(some, negated)
        return self._covered_cache[key]

    def _decided(self, cls: RequestClass) -> z3.BoolRef:
        applies = [self._applies(s, cls) for s in range(self.slots)]
        denied = z3.Or([z3.And(a, z3.Not(self.allow[s])) for s, a in enumerate(applies)])
        granted = z3.Or([z3.And(a, self.allow[s]) for s, a in enumerate(applies)])
        base = z3.BoolVal(cls.granted_without_allow)
        return z3.And(z3.Not(denied), z3.Or(base, z3.And(z3.BoolVal(cls.grantable), granted)))

    # [end:decision]

    def pattern_terms(self) -> list[tuple[z3.BoolRef, int]]:
        return [(v, 1) for s in range(self.slots) for v in self.actions[s] + self.resources[s]]

    def generality_terms(self) -> list[tuple[z3.BoolRef, int]]:
        terms: list[tuple[z3.BoolRef, int]] = []
        for s in range(self.slots):
            terms += [(self.not_action[s], 1), (self.not_resource[s], 1)]
            for var, pattern in zip(self.actions[s], self.space.actions, strict=True):
                terms.append((var, action_generality(pattern)))
            for var, pattern in zip(self.resources[s], self.space.resources, strict=True):
                terms.append((var, resource_generality(pattern)))
        return [(var, weight) for var, weight in terms if weight > 0]

    def decode(self, model: z3.ModelRef) -> tuple[StatementShape, ...]:
        # One pass over the model's assignments; a variable it leaves out is false (the
        # completion z3 would pick), and asking z3 variable by variable is slow.
        assigned = {decl.name(): bool(z3.is_true(model[decl])) for decl in model.decls()}

        def true(var: z3.BoolRef) -> bool:
            return assigned.get(var.decl().name(), False)

        return tuple(
            StatementShape(
                true(self.allow[s]),
                true(self.not_action[s]),
                tuple(
                    p for v, p in zip(self.actions[s], self.space.actions, strict=True) if true(v)
                ),
                true(self.not_resource[s]),
                tuple(
                    q
                    for v, q in zip(self.resources[s], self.space.resources, strict=True)
                    if true(v)
                ),
            )
            for s in range(self.slots)
        )

    def block(self, statements: Sequence[StatementShape]) -> z3.BoolRef:
        """Rule out this set of statements in every order of the slots."""
        return z3.And(
            [
                z3.Not(z3.And([c for i, shape in enumerate(order) for c in self._fix(i, shape)]))
                for order in itertools.permutations(statements)
            ]
        )


def _patterns(statements: Sequence[StatementShape]) -> int:
    return sum(s.patterns for s in statements)


def _generality(statements: Sequence[StatementShape]) -> int:
    return sum(s.generality for s in statements)


def _descend(
    solver: z3.Solver,
    terms: list[tuple[z3.BoolRef, int]],
    best: tuple[StatementShape, ...],
    cost_of: Any,
    encoding: _Encoding,
) -> tuple[tuple[StatementShape, ...], int, bool]:
    """Lower a cost until the solver proves nothing cheaper exists: (best, queries, proved)."""
    queries = 0
    while True:
        cheaper = solve([z3.PbLe(terms, cost_of(best) - 1)], solver=solver)
        queries += 1
        if cheaper.status is Satisfiability.SAT and cheaper.model is not None:
            best = encoding.decode(cheaper.model)
            continue
        return best, queries, cheaper.status is Satisfiability.UNSAT


def _precheck(
    spec: AccessSpec, space: TemplateSpace, classes: Sequence[RequestClass]
) -> tuple[str, tuple[Request, ...]] | None:
    """A reason no template instance can meet ``spec``, whatever its size, if one is plain."""
    for cls in classes:
        if len(set(cls.must_allow)) == 2:
            allowed = cls.requests[cls.must_allow.index(True)]
            denied = cls.requests[cls.must_allow.index(False)]
            if allowed == denied:
                return f"{_request_text(allowed)} must be both allowed and denied", (allowed,)
            return (
                f"{_request_text(allowed)} must be allowed and {_request_text(denied)} denied, "
                "but they differ only in principal or context, which a template statement "
                "(no Principal, no Condition) cannot see",
                (allowed, denied),
            )
    for cls in classes:
        if True in cls.must_allow and not (cls.grantable or cls.granted_without_allow):
            request = cls.requests[0]
            why = evaluate(
                PolicySet(identity=(Solution.of([ALLOW_EVERYTHING]).policy,)), request
            ).reason
            return (
                f'no identity policy can allow {_request_text(request)}: even "Allow * on *" '
                f"gives ImplicitDeny ({why})",
                (request,),
            )
    for first, second in itertools.combinations(classes, 2):
        if set(first.must_allow) == set(second.must_allow):
            continue
        same = (first.actions, first.resources, first.granted_without_allow, first.grantable) == (
            second.actions,
            second.resources,
            second.granted_without_allow,
            second.grantable,
        )
        if same:
            pair = (first.requests[0], second.requests[0])
            if not first.must_allow[0]:
                pair = pair[::-1]
            return (
                f"no candidate pattern separates {_request_text(pair[0])} (must be allowed) "
                f"from {_request_text(pair[1])} (must be denied): every statement of the "
                "template applies to both or to neither; add a candidate pattern",
                pair,
            )
    return None


def _least(
    solver: z3.Solver, encoding: _Encoding, first: tuple[StatementShape, ...]
) -> tuple[tuple[StatementShape, ...], int, list[Unknown]]:
    """The fewest patterns at this size, then the tidiest: (best, queries, what stayed open)."""
    best, queries, unproved = first, 0, []
    for terms, cost_of, decides_minimality in (
        (encoding.pattern_terms(), _patterns, True),
        # The tie-break between policies of equal size; not part of the minimality claim.
        (encoding.generality_terms(), _generality, False),
    ):
        best, spent, proved = _descend(solver, terms, best, cost_of, encoding)
        queries += spent
        if decides_minimality:
            if not proved:
                claim = f"no policy of this size with fewer than {cost_of(best)} patterns"
                unproved.append(Unknown(claim, UnknownReason.TIMEOUT, "no answer in time"))
            # The tie-break and the enumeration keep the pattern count at its least;
            # further solutions may be less tidy than the first, but never larger.
            solver.add(z3.PbLe(terms, cost_of(best)))
    return best, queries, unproved


def _enumerate(
    solver: z3.Solver, encoding: _Encoding, best: tuple[StatementShape, ...], wanted: int
) -> tuple[list[Solution], int]:
    """Up to ``wanted`` distinct policies, each blocked (in every order) once found."""
    found = [Solution.of(best)]
    queries = 0
    if wanted > 1:
        solver.add(encoding.block(best))
    while len(found) < wanted:
        more = solve([], solver=solver)
        queries += 1
        if more.status is not Satisfiability.SAT or more.model is None:
            break  # unsat: no other minimal policy; unknown: report what we have
        shapes = encoding.decode(more.model)
        found.append(Solution.of(shapes))
        solver.add(encoding.block(shapes))
    return found, queries


def _reason(undecided: list[Unknown]) -> UnknownReason:
    reasons = {u.reason for u in undecided}
    return UnknownReason.TIMEOUT if reasons == {UnknownReason.TIMEOUT} else UnknownReason.INCOMPLETE


def synthesize(
    spec: AccessSpec,
    *,
    form: Form | str = Form.ANY,
    max_statements: int = 3,
    solutions: int = 1,
    catalog: Catalog | None = None,
    space: TemplateSpace | None = None,
    timeout_ms: int | None = None,
) -> Synthesis:
    """Minimal policies of ``form`` meeting ``spec``: up to ``solutions`` distinct ones.

    ``space`` overrides the candidate patterns derived from ``spec``; ``timeout_ms`` is the
    budget of each solver query.
    """
    started = time.perf_counter()
    form = Form(form)
    if not 1 <= max_statements <= MAX_STATEMENTS:
        raise ValueError(f"max_statements must be between 1 and {MAX_STATEMENTS}")
    if solutions < 1:
        raise ValueError("solutions must be at least 1")
    if space is None:
        space = derive_space(spec, max_statements=max_statements, form=form, catalog=catalog)
    if space.form is not form:
        raise ValueError(f"the template space is for {space.form.value}, not {form.value}")
    if form is Form.DENY_NOT_ACTION and ("*" not in space.actions or "*" not in space.resources):
        raise ValueError('a deny-notaction space needs "*" among its actions and resources')
    bound = space.describe()
    classes = request_classes(spec, space)

    def finish(status: SynthesisStatus, answer: Any, explanation: str, **extra: Any) -> Synthesis:
        return Synthesis(
            status,
            form,
            space,
            answer=answer,
            explanation=explanation,
            seconds=time.perf_counter() - started,
            **extra,
        )

    plain = _precheck(spec, space, classes)
    if plain is not None:
        reason, requests = plain
        return finish(
            SynthesisStatus.INFEASIBLE,
            Proved(CLAIM, bound),
            reason,
            solutions=(),
            minimality=None,
            unseparated=requests,
        )

    queries = 0
    undecided: list[Unknown] = []
    for size in range(1, space.max_statements + 1):
        encoding = _Encoding(space, classes, size)
        solver = new_solver(timeout_ms=timeout_ms)
        solver.add(*encoding.constraints)
        outcome = solve([], solver=solver)
        queries += 1
        if outcome.status is Satisfiability.UNSAT:
            continue
        if outcome.status is Satisfiability.UNKNOWN or outcome.model is None:
            undecided.append(unknown_from(f"no policy of {_count(size, 'statement')}", outcome))
            continue
        best, spent, unproved = _least(solver, encoding, encoding.decode(outcome.model))
        found, more = _enumerate(solver, encoding, best, solutions)
        return _confirmed(spec, found, undecided + unproved, finish, bound, queries + spent + more)

    if undecided:
        detail = "; ".join(u.detail for u in undecided)
        return finish(
            SynthesisStatus.UNKNOWN,
            Unknown(CLAIM, _reason(undecided), detail),
            f"the solver did not decide ({detail})",
            solutions=(),
            minimality=None,
            queries=queries,
        )
    return finish(
        SynthesisStatus.INFEASIBLE,
        Proved(CLAIM, bound),
        f"no policy of at most {_count(space.max_statements, 'statement')} over these candidate "
        "patterns meets the specification; allow more statements or add candidates",
        solutions=(),
        minimality=None,
        queries=queries,
    )


def _confirmed(
    spec: AccessSpec,
    found: list[Solution],
    undecided: list[Unknown],
    finish: Callable[..., Synthesis],
    bound: str,
    queries: int,
) -> Synthesis:
    """Replay every solution with the concrete evaluator before anyone sees it."""
    for solution in found:
        answer = refute(CLAIM, solution, replay=lambda s: s.meets(spec), bound=bound)
        if isinstance(answer, Unknown):
            return finish(
                SynthesisStatus.UNKNOWN,
                answer,
                "a synthesized policy failed its concrete check (an encoding bug)",
                solutions=(),
                minimality=None,
                queries=queries,
            )
    first = refute(CLAIM, found[0], replay=lambda s: s.meets(spec), bound=bound)
    minimality: Proved | Unknown
    if undecided:
        detail = "; ".join(f"{u.claim}: {u.detail}" for u in undecided)
        minimality = Unknown(MINIMAL, _reason(undecided), detail)
    else:
        minimality = Proved(MINIMAL, bound)
    statements = len(found[0].statements)
    plural = "policy" if len(found) == 1 else "policies"
    explanation = (
        f"{len(found)} {plural} of {_count(statements, 'statement')} "
        f"and {_count(found[0].patterns, 'pattern')}, each confirmed by the concrete "
        f"evaluator on all {len(spec.requests())} requests of the specification"
    )
    return finish(
        SynthesisStatus.FOUND,
        first,
        explanation,
        solutions=tuple(found),
        minimality=minimality,
        queries=queries,
    )
