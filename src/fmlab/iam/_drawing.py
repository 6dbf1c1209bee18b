"""IAM findings drawn as relational instances, the way Alloy showed them in the talk.

Each drawing is an :class:`~fmlab.core.instance.Instance` over the signatures of the
model-finding chapter's IAM model: ``Policy``, ``Statement``, ``Effect`` (the atoms
``Allow`` and ``Deny``) and a ``Request`` (the request evaluated, or a witness). A
policy ``holds`` its statements, a statement has an ``effect``, and a statement that
applies to a request points at it with ``applies``. The statements that decide or
explain the finding are highlighted. Patterns and request fields are written inside
the atoms, shortened when a policy names hundreds of actions.

Only the statements that matter are drawn: those applying to a request, those a
finding names, and, for a small policy, all of them. A real managed policy thus gives a
readable picture.

>>> from fmlab.iam._parser import parse_policy
>>> from fmlab.iam._request import Request
>>> policy = parse_policy({"Statement": [
...     {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
...     {"Sid": "NoFinance", "Effect": "Deny", "Action": "s3:*",
...      "Resource": "arn:aws:s3:::reports/finance/*"}]}, name="dev")
>>> request = Request.build("arn:aws:iam::111122223333:user/a", "s3:GetObject",
...                         "arn:aws:s3:::reports/finance/pay.csv")
>>> world = evaluation_instance(PolicySet(identity=(policy,)), request)
>>> sorted(world.relations["applies"]), sorted(world.highlight)
([('dev.NoFinance', 'request'), ('dev.Read', 'request')], ['dev.NoFinance'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from fmlab.core.instance import Instance
from fmlab.iam._compare import Comparison, Relation
from fmlab.iam._conflicts import Finding, FindingKind
from fmlab.iam._evaluator import Evaluation, PolicySet, StatementRef, applicable, evaluate
from fmlab.iam._matching import statement_applies
from fmlab.iam._model import Policy, PolicyKind, Statement
from fmlab.iam._patterns import action_matches
from fmlab.iam._request import Request
from fmlab.viz import Drawing, draw_instance

SMALL_POLICY = 6
"""A policy with at most this many statements is drawn whole."""
PATTERNS_SHOWN = 3
"""Patterns listed per element before "+N more"."""
TEXT_WIDTH = 64


@dataclass
class _Builder:
    """Collects atoms, tuples, notes and highlights, naming atoms uniquely."""

    atoms: dict[str, list[str]] = field(default_factory=dict)
    relations: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    highlight: set[str] = field(default_factory=set)
    _taken: set[str] = field(default_factory=set)
    _policies: dict[tuple[str, PolicyKind, int], str] = field(default_factory=dict)
    _statements: dict[tuple[str, PolicyKind, int, int], str] = field(default_factory=dict)

    def atom(self, signature: str, wanted: str) -> str:
        name, suffix = wanted, 2
        while name in self._taken:
            name, suffix = f"{wanted}~{suffix}", suffix + 1
        self._taken.add(name)
        self.atoms.setdefault(signature, []).append(name)
        return name

    def relate(self, relation: str, *atoms: str) -> None:
        self.relations.setdefault(relation, set()).add(atoms)

    def effect(self, name: str) -> str:
        if name not in self.atoms.get("Effect", []):
            self._taken.add(name)
            self.atoms.setdefault("Effect", []).append(name)
        return name

    def policy(self, side: str, kind: PolicyKind, index: int, policy: Policy) -> str:
        key = (side, kind, index)
        if key not in self._policies:
            # A side named after its only policy (compare("ReadOnlyAccess", ...)) needs no prefix.
            prefix = f"{side}:" if side and side != policy.name else ""
            kind_note = "" if kind is PolicyKind.IDENTITY else f"{kind.value} "
            atom = self.atom("Policy", f"{prefix}{kind_note}{policy.name}")
            self._policies[key] = atom
            self.notes[atom] = [f"{len(policy.statements)} statement(s)"]
        return self._policies[key]

    def statement(
        self, side: str, kind: PolicyKind, index: int, policy: Policy, statement: Statement
    ) -> str:
        key = (side, kind, index, statement.index)
        if key not in self._statements:
            holder = self.policy(side, kind, index, policy)
            atom = self.atom("Statement", f"{holder}.{statement.label}")
            self._statements[key] = atom
            self.relate("holds", holder, atom)
            self.relate("effect", atom, self.effect(statement.effect.value))
            self.notes[atom] = statement_lines(statement)
        return self._statements[key]

    def request(self, name: str, request: Request, extra: Iterable[str] = ()) -> str:
        atom = self.atom("Request", name)
        self.notes[atom] = [*request_lines(request), *extra]
        return atom

    def build(self, title: str | None) -> tuple[Instance, dict[str, list[str]]]:
        instance = Instance.build(
            self.atoms,
            {name: sorted(tuples) for name, tuples in self.relations.items()},
            highlight=self.highlight,
            title=title,
        )
        return instance, self.notes


def _shorten(text: str) -> str:
    return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"


def _listing(label: str, values: Sequence[str]) -> str:
    shown = ", ".join(_shorten(v) for v in values[:PATTERNS_SHOWN])
    more = f" +{len(values) - PATTERNS_SHOWN} more" if len(values) > PATTERNS_SHOWN else ""
    return f"{label}: {shown}{more}"


def statement_lines(statement: Statement) -> list[str]:
    """A statement's elements as short lines (``Action: s3:Get*, s3:List* +40 more``).

    >>> from fmlab.iam._parser import parse_policy
    >>> s = parse_policy({"Statement": {"Effect": "Deny", "NotAction": "iam:*",
    ...                   "Resource": "*"}}).statements[0]
    >>> statement_lines(s)
    ['NotAction: iam:*', 'Resource: *']
    """
    lines = [_listing("NotAction" if statement.not_action else "Action", statement.actions)]
    if statement.resources is not None:
        label = "NotResource" if statement.not_resource else "Resource"
        lines.append(_listing(label, statement.resources))
    for condition in statement.conditions:
        lines.append(_listing(f"{condition.operator.text} {condition.key}", condition.values))
    return lines


def request_lines(request: Request) -> list[str]:
    """A request's fields as lines, context keys sorted."""
    lines = [
        f"principal: {_shorten(request.principal)}",
        f"action: {request.action}",
        f"resource: {_shorten(request.resource)}",
    ]
    for key, values in sorted(request.context.items()):
        lines.append(f"{key} = {_shorten(', '.join(values))}")
    return lines


def _statement_of(policies: PolicySet, ref: StatementRef) -> tuple[Policy, Statement]:
    policy = (policies.of(ref.kind) or ())[ref.policy_index]
    return policy, policy.statements[ref.statement_index]


def _add_small_policies(builder: _Builder, side: str, policies: PolicySet) -> None:
    for kind, index, policy in policies.items():
        if len(policy.statements) <= SMALL_POLICY:
            for statement in policy.statements:
                builder.statement(side, kind, index, policy, statement)


def _add_applying(
    builder: _Builder, side: str, policies: PolicySet, request: Request, request_atom: str
) -> list[str]:
    """Draw every statement of ``policies`` that applies to ``request``; return them."""
    drawn = []
    for hit in applicable(policies, request):
        policy, statement = _statement_of(policies, hit.ref)
        atom = builder.statement(side, hit.ref.kind, hit.ref.policy_index, policy, statement)
        builder.relate("applies", atom, request_atom)
        # With hundreds of patterns shortened away, say which one caught the action.
        line = _matching_line(statement, request)
        if line is not None and line not in builder.notes[atom]:
            builder.notes[atom].append(line)
        drawn.append(atom)
    return drawn


def _matching_line(statement: Statement, request: Request) -> str | None:
    if statement.not_action or len(statement.actions) <= PATTERNS_SHOWN:
        return None
    for pattern in statement.actions:
        if action_matches(pattern, request.action):
            return f"{request.action} matches {pattern}"
    return None


def evaluation_instance(
    policies: PolicySet, request: Request, evaluation: Evaluation | None = None
) -> Instance:
    """The instance behind :func:`draw_evaluation` (notes are left out)."""
    return _evaluation(policies, request, evaluation)[0]


def _evaluation(
    policies: PolicySet, request: Request, evaluation: Evaluation | None
) -> tuple[Instance, dict[str, list[str]]]:
    result = evaluation if evaluation is not None else evaluate(policies, request)
    builder = _Builder()
    _add_small_policies(builder, "", policies)
    request_atom = builder.request("request", request, [f"decision: {result.decision.value}"])
    _add_applying(builder, "", policies, request, request_atom)
    for ref in result.statements:
        policy, statement = _statement_of(policies, ref)
        builder.highlight.add(builder.statement("", ref.kind, ref.policy_index, policy, statement))
    return builder.build(f"{result.decision.value}: {result.reason}")


def draw_evaluation(
    policies: PolicySet, request: Request, evaluation: Evaluation | None = None
) -> Drawing:
    """The policies, the request, the statements that apply to it, the deciding ones in red."""
    instance, notes = _evaluation(policies, request, evaluation)
    return draw_instance(instance, notes=notes)


def conflict_instance(finding: Finding, policies: Sequence[Policy]) -> Instance:
    """The instance behind :func:`draw_conflict` (notes are left out)."""
    return _conflict(finding, policies)[0]


# [start:conflict-instance]
def _conflict(
    finding: Finding, policies: Sequence[Policy]
) -> tuple[Instance, dict[str, list[str]]]:
    builder = _Builder()
    named = []
    for ref in finding.statements:
        policy = policies[ref.policy_index]
        statement = policy.statements[ref.statement_index]
        named.append(builder.statement("", ref.kind, ref.policy_index, policy, statement))
    builder.highlight.update(named)
    if finding.kind is FindingKind.SHADOWED:
        for deny in named[1:]:
            builder.relate("shadows", deny, named[0])
    elif finding.kind is FindingKind.REDUNDANT:
        builder.relate("covers", named[1], named[0])
    witness = finding.witness  # a shadowed Allow's is an example beside its proof
    if witness is not None:
        label = "example" if finding.kind is FindingKind.SHADOWED else "witness"
        request_atom = builder.request(label, witness)
        for atom, ref in zip(named, finding.statements, strict=True):
            policy = policies[ref.policy_index]
            statement = policy.statements[ref.statement_index]
            if not statement_applies(statement, witness, variables=policy.variables_enabled):
                continue  # a Deny named for its actions that does not reach this request
            builder.relate("applies", atom, request_atom)
            line = _matching_line(statement, witness)
            if line is not None:
                builder.notes[atom].append(line)
    return builder.build(finding.message)


# [end:conflict-instance]


def draw_conflict(finding: Finding, policies: Sequence[Policy]) -> Drawing:
    """One finding of :func:`~fmlab.iam._conflicts.find_conflicts` on ``policies``.

    An overlap shows both statements applying to the witness request; a shadowed
    statement shows the Denies that ``shadows`` it and an example request it and one of
    them apply to (the finding is a proof; the example only illustrates it); a redundant
    one shows the statement that ``covers`` it.
    """
    instance, notes = _conflict(finding, policies)
    # Top to bottom: the colliding statements side by side, both pointing down at the
    # one request they share.
    return draw_instance(instance, notes=notes, rankdir="TB")


def comparison_instance(
    comparison: Comparison, a: PolicySet, b: PolicySet, *, names: tuple[str, str] = ("A", "B")
) -> Instance:
    """The instance behind :func:`draw_comparison` (notes are left out)."""
    return _comparison(comparison, a, b, names)[0]


def _comparison(
    comparison: Comparison, a: PolicySet, b: PolicySet, names: tuple[str, str]
) -> tuple[Instance, dict[str, list[str]]]:
    builder = _Builder()
    sides: Mapping[str, PolicySet] = {names[0]: a, names[1]: b}
    for side, policies in sides.items():
        _add_small_policies(builder, side, policies)
    witnesses = (
        (f"{names[0]} not {names[1]}", comparison.a_not_b_request()),
        (f"{names[1]} not {names[0]}", comparison.b_not_a_request()),
    )
    for label, witness in witnesses:
        if witness is None:
            continue
        decisions = [
            f"{side}: {evaluate(policies, witness).decision.value}"
            for side, policies in sides.items()
        ]
        request_atom = builder.request(f"witness {label}", witness, decisions)
        for side, policies in sides.items():
            builder.highlight.update(_add_applying(builder, side, policies, witness, request_atom))
    return builder.build(_relation_title(comparison.relation, names))


def _relation_title(relation: Relation, names: tuple[str, str]) -> str:
    a, b = names
    return {
        Relation.EQUIVALENT: f"{a} and {b} allow the same requests",
        Relation.LESS_PERMISSIVE: f"{a} is less permissive than {b}",
        Relation.MORE_PERMISSIVE: f"{a} is more permissive than {b}",
        Relation.INCOMPARABLE: f"{a} and {b} are incomparable",
        Relation.UNKNOWN: f"{a} against {b}: unknown",
    }[relation]


def draw_comparison(
    comparison: Comparison, a: PolicySet, b: PolicySet, *, names: tuple[str, str] = ("A", "B")
) -> Drawing:
    """Both policy sets and the witness each way, with the statements that apply to it.

    Each witness notes its decision under either side; the statements applying to a
    witness are highlighted (on the allowing side they grant it; on the other side any
    that apply are Denies or fail a layer).
    """
    instance, notes = _comparison(comparison, a, b, names)
    return draw_instance(instance, notes=notes)
