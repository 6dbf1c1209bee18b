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

>>> from fmlab.iam._catalog import Catalog, load_catalog
>>> from fmlab.iam._spec import AccessSpec
>>> small = Catalog.from_mapping({"s3": ["GetObject", "PutObject"], "iam": ["ListUsers"]})
>>> spec = AccessSpec.build(allow=[("s3:GetObject", "arn:aws:s3:::b/k")],
...                         deny=[("s3:PutObject", "arn:aws:s3:::b/k")])
>>> found = synthesize(spec, form="allow-action", catalog=small, objective="smallest")
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
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import z3

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.core.solving import Satisfiability, new_solver, solve, unknown_from
from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._excess import Excess
from fmlab.iam._grants import GrantCells, grant_cells, granted_cells, weight
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request
from fmlab.iam._spec import AccessSpec
from fmlab.iam._synth_least import (
    Floor,
    FloorEncoding,
    PairEncoding,
    in_cells,
    pair_encoding,
)
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
from fmlab.iam._text import WIDTH, json_lines
from fmlab.iam._text import wrapped as _wrapped

CLAIM = "no policy in the template space meets the specification"
MINIMAL = "no policy with fewer statements, or as many statements and fewer patterns, meets it"
LEAST = (
    "no policy in the template space that meets the specification grants a strict subset of "
    "what this one grants, and none granting the same has fewer statements or patterns"
)
MAX_STATEMENTS = 8
"""Blocking a solution takes one clause per order of its statements: keep k small."""


class Objective(enum.Enum):
    """What "best" means among the policies that meet a specification."""

    LEAST_PRIVILEGE = "least-privilege"
    """Grants no more than needed: no satisfying policy grants a strict subset (over the
    catalog's actions and the resources the template space can name); then the smallest."""
    SMALLEST = "smallest"
    """Fewest statements, then fewest patterns, whatever it grants outside the spec."""


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
    objective: Objective = Objective.SMALLEST
    cells: GrantCells | None = None
    """The groups the least-privilege objective compared granted sets over."""

    @property
    def found(self) -> bool:
        return self.status is SynthesisStatus.FOUND

    def to_json(self, beyond: Sequence[Excess] = ()) -> dict[str, Any]:
        """The answer as JSON; ``beyond`` adds each policy's excess (see :func:`excess`)."""
        extra = {"excess": [e.to_json() for e in beyond]} if beyond else {}
        return {
            "status": self.status.value,
            "form": self.form.value,
            "objective": self.objective.value,
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
            **extra,
        }

    def explain(self, beyond: Sequence[Excess] = ()) -> str:
        """The answer in words; ``beyond`` adds each policy's excess under it."""
        lines = [
            *_wrapped(f"{self.status.value} ({self.form.value}): {self.explanation}", ""),
            f"  objective: {self.objective.value}",
        ]
        if self.minimality is not None:
            # One paragraph: core's explain() has folded it at its own, wider, width.
            said = " ".join(self.minimality.explain().split())
            lines += _wrapped(f"minimal: {said}", "  ")
        for request in self.unseparated:
            lines.append("  request:")
            lines += json_lines(request.to_json(), "    ")
        for index, solution in enumerate(self.solutions, 1):
            lines.append(f"policy {index}:")
            lines += json_lines(solution.document)
            if index <= len(beyond):
                prefix = f"policy {index} "
                lines.append(prefix + beyond[index - 1].explain(width=WIDTH - len(prefix)))
        lines.append(f"({self.queries} solver queries, {self.seconds:.2f} s)")
        return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _request_text(request: Request) -> str:
    return f"{request.action} on {request.resource} by {request.principal}"


class _Choices(Protocol):
    """What the size, pattern and enumeration searches need of an encoding."""

    def pattern_terms(self) -> list[tuple[z3.BoolRef, int]]: ...

    def generality_terms(self) -> list[tuple[z3.BoolRef, int]]: ...

    def decode(self, model: z3.ModelRef) -> tuple[StatementShape, ...]: ...

    def block(self, statements: Sequence[StatementShape]) -> z3.BoolRef: ...


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

    def grant_terms(self, cells: GrantCells) -> list[tuple[z3.BoolRef, int]]:
        """Per cell: "this policy grants it" (an Allow applies, no Deny does), its weight."""
        terms: list[tuple[z3.BoolRef, int]] = []
        only_allows = self.space.form is Form.ALLOW_ACTION
        for action, resource in cells.cells():
            cell = RequestClass((), (), action.matches, resource.matches, False, True)
            if only_allows and not any(action.matches):
                formula: z3.BoolRef = z3.BoolVal(False)  # no Action list names it
            elif only_allows:
                # No Deny to subtract: granted where some statement applies.
                formula = z3.Or([self._applies(s, cell) for s in range(self.slots)])
            else:
                formula = self._decided(cell)
            terms.append((formula, weight(action, resource)))
        return terms

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
    encoding: _Choices,
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
    solver: z3.Solver, encoding: _Choices, first: tuple[StatementShape, ...]
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
    solver: z3.Solver, encoding: _Choices, best: tuple[StatementShape, ...], wanted: int
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
    objective: Objective | str | None = None,
) -> Synthesis:
    """Best policies of ``form`` meeting ``spec``: up to ``solutions`` distinct ones.

    ``objective`` says what best means (:class:`Objective`); by default least privilege
    for the Allow form and the smallest policy for the others. ``space`` overrides the
    candidate patterns derived from ``spec``; ``timeout_ms`` is the budget of each
    solver query.
    """
    started = time.perf_counter()
    form = Form(form)
    if objective is None:
        objective = Objective.LEAST_PRIVILEGE if form is Form.ALLOW_ACTION else Objective.SMALLEST
    objective = Objective(objective)
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
            objective=objective,
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
    search = _Search(spec, space, classes, timeout_ms, solutions, finish, bound)
    cells: GrantCells | None = None
    if objective is Objective.LEAST_PRIVILEGE and form is Form.ALLOW_ACTION:
        known = catalog if catalog is not None else load_catalog()
        cells = grant_cells(space, known, [r.resource for r, _ in spec.requests()])
        floor = Floor.of(cells, classes)
        at_floor = _at_the_floor(search, floor, cells) if floor is not None else None
        if at_floor is not None:
            return at_floor
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
        if objective is Objective.LEAST_PRIVILEGE:
            if cells is None:
                known = catalog if catalog is not None else load_catalog()
                cells = grant_cells(space, known, [r.resource for r, _ in spec.requests()])
            return _least_privileged(
                search,
                size,
                cells,
                queries,
                undecided,
            )
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


@dataclass(frozen=True)
class _Search:
    """What every stage of one synthesis shares."""

    spec: AccessSpec
    space: TemplateSpace
    classes: Sequence[RequestClass]
    timeout_ms: int | None
    solutions: int
    finish: Callable[..., Synthesis]
    bound: str


FLOOR = (
    "; the granted set is the allow list's own groups, which every policy meeting the "
    "specification grants"
)


def _at_the_floor(search: _Search, floor: Floor, cells: GrantCells) -> Synthesis | None:
    """Least privilege when some policy grants only the cells the allow list holds
    (:mod:`fmlab.iam._synth_least`): the fewest statements and patterns granting exactly
    them. ``None`` when no policy of the space does (or the solver does not say), and the
    general search has to compare granted sets."""
    space, queries = search.space, 0
    for size in range(1, space.max_statements + 1):
        encoding = FloorEncoding(space, floor, size)
        solver = new_solver(timeout_ms=search.timeout_ms)
        solver.add(*encoding.constraints)
        outcome = solve([], solver=solver)
        queries += 1
        if outcome.status is Satisfiability.UNSAT:
            continue  # too few statements to grant exactly the floor: proved
        if outcome.model is None:
            return None
        best, spent, unproved = _least(solver, encoding, encoding.decode(outcome.model))
        found, more = _enumerate(solver, encoding, best, search.solutions)
        for solution in found:
            granted = granted_cells(cells, _shape_indices(space, solution.statements))
            if granted != floor.cells:  # the encoding and the cell arithmetic disagree
                return search.finish(
                    SynthesisStatus.UNKNOWN,
                    Unknown(CLAIM, UnknownReason.INCOMPLETE, "floor encoding disagreed"),
                    "a synthesized policy did not grant what its encoding said (a bug)",
                    solutions=(),
                    minimality=None,
                    queries=queries + spent + more,
                    cells=cells,
                )
        return _confirmed(
            search.spec,
            found,
            unproved,
            search.finish,
            search.bound + f"; granted sets compared over {cells.describe()}" + FLOOR,
            queries + spent + more,
            claim=LEAST,
            cells=cells,
        )
    return None


def _shape_indices(
    space: TemplateSpace, statements: Sequence[StatementShape]
) -> list[tuple[bool, bool, list[int], bool, list[int]]]:
    return [
        (
            s.allow,
            s.not_action,
            [space.actions.index(p) for p in s.actions],
            s.not_resource,
            [space.resources.index(q) for q in s.resources],
        )
        for s in statements
    ]


def _shrink(
    solver: z3.Solver,
    flags: list[z3.BoolRef],
    best: tuple[StatementShape, ...],
    granted: Callable[[Sequence[StatementShape]], frozenset[tuple[int, int]]],
    encoding: _Encoding | PairEncoding,
    width: int,
) -> tuple[tuple[StatementShape, ...], int, bool]:
    """Ask for a policy granting a strict subset until there is none: (best, queries, proved).

    Each answer grants strictly less than the one before, so the clauses added stay true
    of every later question, and the last, ``unsat`` answer proves the set minimal under
    inclusion (cells are numbered row by row, as :meth:`GrantCells.cells` lists them).
    """
    queries = 0
    while True:
        held = granted(best)
        inside = [flags[i * width + j] for i, j in held]
        outside = [flag for n, flag in enumerate(flags) if (n // width, n % width) not in held]
        solver.add(*(z3.Not(flag) for flag in outside))
        smaller = solve([z3.Or([z3.Not(flag) for flag in inside])], solver=solver)
        queries += 1
        if smaller.status is Satisfiability.SAT and smaller.model is not None:
            best = encoding.decode(smaller.model)
            continue
        return best, queries, smaller.status is Satisfiability.UNSAT


def _lightest(
    encoding: _Encoding | PairEncoding, grants: list[tuple[z3.BoolRef, int]], timeout_ms: int | None
) -> tuple[StatementShape, ...] | None:
    """A policy granting the least weight of cells, from z3's MaxSAT optimiser (much
    faster than shrinking one strict subset at a time); ``None`` if it gives no model."""
    optimizer = z3.Optimize()
    if timeout_ms is not None:
        optimizer.set("timeout", timeout_ms)
    optimizer.add(*encoding.constraints)
    for formula, cost in grants:
        if not z3.is_false(formula):
            optimizer.add_soft(z3.Not(formula), cost)
    if optimizer.check() != z3.sat:
        return None
    return encoding.decode(optimizer.model())


def _least_privileged(
    search: _Search, first_size: int, cells: GrantCells, queries: int, undecided: list[Unknown]
) -> Synthesis:
    """Least privilege, then smallest.

    With every statement the space allows, lower the weighted count of granted cells until
    the solver proves nothing lighter meets the spec: with positive weights, a policy
    granting a strict subset would be lighter, so the granted set reached is minimal
    under inclusion. Then, from the smallest size that meets the spec at all, look for
    the fewest statements and patterns granting exactly that set.
    """
    space, spec = search.space, search.spec

    def granted(shapes: Sequence[StatementShape]) -> frozenset[tuple[int, int]]:
        return granted_cells(cells, _shape_indices(space, shapes))

    def heaviness(shapes: Sequence[StatementShape]) -> int:
        return sum(weight(cells.actions[i], cells.resources[j]) for i, j in granted(shapes))

    # For Allow-only policies the pair encoding is much smaller (see _synth_least).
    widest: _Encoding | PairEncoding = pair_encoding(
        space, cells, search.classes, space.max_statements
    ) or _Encoding(space, search.classes, space.max_statements)
    solver = new_solver(timeout_ms=search.timeout_ms)
    solver.add(*widest.constraints)
    grants = widest.grant_terms(cells)
    flags = [z3.Bool(f"granted_{n}") for n in range(len(grants))]
    solver.add(*(flag == formula for flag, (formula, _) in zip(flags, grants, strict=True)))
    outcome = solve([], solver=solver)
    queries += 1
    if outcome.status is not Satisfiability.SAT or outcome.model is None:
        # The smaller size was satisfiable, so only a timeout lands here.
        undecided.append(unknown_from("a policy of the widest size", outcome))
        detail = "; ".join(u.detail for u in undecided)
        return search.finish(
            SynthesisStatus.UNKNOWN,
            Unknown(CLAIM, _reason(undecided), detail),
            f"the solver did not decide ({detail})",
            solutions=(),
            minimality=None,
            queries=queries,
            cells=cells,
        )
    start = _lightest(widest, grants, search.timeout_ms) or widest.decode(outcome.model)
    # The weighted optimum already grants an inclusion-minimal set; _shrink's one unsat
    # answer is the proof, from our own solver rather than the optimiser's word.
    least, spent, proved = _shrink(solver, flags, start, granted, widest, len(cells.resources))
    queries += spent
    if not proved:
        undecided.append(
            Unknown("no policy grants a strict subset", UnknownReason.TIMEOUT, "no answer in time")
        )
    target = granted(least)
    for size in range(first_size, space.max_statements + 1):
        exact = new_solver(timeout_ms=search.timeout_ms)
        encoding: _Choices
        if space.form is Form.ALLOW_ACTION and in_cells(cells, search.classes):
            # Granting exactly the target: only pattern pairs inside it, covering it (a
            # much smaller question than one formula per cell; see _synth_least).
            encoding = FloorEncoding(space, Floor.inside(cells, target), size)
            exact.add(*encoding.constraints)
        else:
            encoding = general = _Encoding(space, search.classes, size)
            exact.add(*general.constraints)
            for n, (formula, _) in enumerate(general.grant_terms(cells)):
                cell = (n // len(cells.resources), n % len(cells.resources))
                exact.add(formula if cell in target else z3.Not(formula))
        found_one = solve([], solver=exact)
        queries += 1
        if found_one.status is Satisfiability.UNSAT:
            continue
        if found_one.model is None:
            undecided.append(unknown_from("the fewest statements granting the least", found_one))
            break
        best, spent, unproved = _least(exact, encoding, encoding.decode(found_one.model))
        found, more = _enumerate(exact, encoding, best, search.solutions)
        return _confirmed(
            spec,
            found,
            undecided + unproved,
            search.finish,
            search.bound + f"; granted sets compared over {cells.describe()}",
            queries + spent + more,
            claim=LEAST,
            cells=cells,
        )
    # The widest size granting ``target`` exists: reaching here means a timeout.
    found = [Solution.of(least)]
    return _confirmed(
        spec, found, undecided, search.finish, search.bound, queries, claim=LEAST, cells=cells
    )


def _confirmed(
    spec: AccessSpec,
    found: list[Solution],
    undecided: list[Unknown],
    finish: Callable[..., Synthesis],
    bound: str,
    queries: int,
    *,
    claim: str = MINIMAL,
    cells: GrantCells | None = None,
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
                cells=cells,
            )
    first = refute(CLAIM, found[0], replay=lambda s: s.meets(spec), bound=bound)
    minimality: Proved | Unknown
    if undecided:
        detail = "; ".join(f"{u.claim}: {u.detail}" for u in undecided)
        minimality = Unknown(claim, _reason(undecided), detail)
    else:
        minimality = Proved(claim, bound)
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
        cells=cells,
    )
