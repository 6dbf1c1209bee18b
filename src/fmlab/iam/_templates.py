"""The template space a policy is synthesized in, and a brute-force walk through it.

A *template instance* is an identity policy of at most ``max_statements`` statements. Each
statement has an Effect, an ``Action`` or ``NotAction`` list drawn from candidate action
patterns, and a ``Resource`` or ``NotResource`` list drawn from candidate resource
patterns. The candidates come from the specification's requests:

- actions: ``*``, ``service:*`` for each service named, each exact action, and the
  prefix wildcards at the action name's word boundaries (``s3:Get*``, ``s3:GetObject*``)
  that cover at least one catalog action;
- resources: ``*``, each exact ARN, ``parent/*`` at each ``/`` of the ARN, and the
  ARN's service-wide pattern (``arn:aws:s3:::*``).

A :class:`Form` narrows the space. ``deny-notaction`` instances always start with the
statement "Allow ``*`` on ``*``": a Deny never grants anything, so a policy made only of
Deny+NotAction statements allows nothing at all; the Deny statements carve the allowed
requests out of that Allow.

>>> from fmlab.iam._catalog import Catalog
>>> from fmlab.iam._spec import AccessSpec
>>> small = Catalog.from_mapping({"s3": ["GetObject", "GetObjectAcl", "PutObject"]})
>>> spec = AccessSpec.build([("s3:GetObject", "arn:aws:s3:::b/k")])
>>> space = derive_space(spec, catalog=small)
>>> space.actions
('*', 's3:*', 's3:GetObject', 's3:Get*')
>>> space.resources
('*', 'arn:aws:s3:::b/k', 'arn:aws:s3:::b/*', 'arn:aws:s3:::*')
"""

from __future__ import annotations

import enum
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._parser import parse_policy
from fmlab.iam._patterns import action_matches, arn_matches
from fmlab.iam._request import Request
from fmlab.iam._spec import AccessSpec


class Form(enum.Enum):
    """Which shapes of statement the synthesized policy may use."""

    ANY = "any"
    """Allow or Deny, Action or NotAction, Resource or NotResource."""
    ALLOW_ACTION = "allow-action"
    """Only Allow statements with an Action list."""
    DENY_NOT_ACTION = "deny-notaction"
    """"Allow ``*`` on ``*``" followed by Deny statements with a NotAction list."""


@dataclass(frozen=True)
class StatementShape:
    """One statement of a template instance, without Sid or Condition."""

    allow: bool
    not_action: bool
    actions: tuple[str, ...]
    not_resource: bool
    resources: tuple[str, ...]

    @property
    def patterns(self) -> int:
        return len(self.actions) + len(self.resources)

    @property
    def generality(self) -> int:
        """The tie-break between policies of equal size: exact names and plain
        Action/Resource read most clearly, so each wildcard and each Not costs a little."""
        return (
            int(self.not_action)
            + int(self.not_resource)
            + sum(action_generality(p) for p in self.actions)
            + sum(resource_generality(p) for p in self.resources)
        )

    def document(self) -> dict[str, Any]:
        def one_or_list(items: tuple[str, ...]) -> str | list[str]:
            return items[0] if len(items) == 1 else list(items)

        return {
            "Effect": "Allow" if self.allow else "Deny",
            "NotAction" if self.not_action else "Action": one_or_list(self.actions),
            "NotResource" if self.not_resource else "Resource": one_or_list(self.resources),
        }

    def fits(self, form: Form, position: int) -> bool:
        """Whether this statement may stand at ``position`` in a policy of ``form``."""
        if form is Form.ALLOW_ACTION:
            return self.allow and not self.not_action
        if form is Form.DENY_NOT_ACTION:
            return (
                self == ALLOW_EVERYTHING if position == 0 else (not self.allow and self.not_action)
            )
        return True


def action_generality(pattern: str) -> int:
    """0 for an exact action, 1 for a prefix wildcard, 2 for ``service:*``, 3 for ``*``."""
    if pattern == "*":
        return 3
    if pattern.endswith(":*"):
        return 2
    return 1 if "*" in pattern or "?" in pattern else 0


def resource_generality(pattern: str) -> int:
    """0 for an exact ARN, 1 for ``parent/*``, 2 for a service-wide ARN, 3 for ``*``."""
    if pattern == "*":
        return 3
    if pattern.endswith(":*"):
        return 2
    return 1 if "*" in pattern or "?" in pattern else 0


ALLOW_EVERYTHING = StatementShape(True, False, ("*",), False, ("*",))
"""The Allow that a Deny+NotAction policy carves its permissions out of."""


def policy_document(statements: Sequence[StatementShape]) -> dict[str, Any]:
    """The AWS policy JSON of a template instance."""
    return {"Version": "2012-10-17", "Statement": [s.document() for s in statements]}


def canonical(statements: Sequence[StatementShape]) -> tuple[StatementShape, ...]:
    """One order for the statements of an instance: Allows first, then by their JSON."""
    return tuple(sorted(statements, key=lambda s: (not s.allow, repr(s.document()))))


@dataclass(frozen=True)
class TemplateSpace:
    """The policies synthesis searches: statements over these action and resource patterns."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    max_statements: int
    form: Form = Form.ANY

    def statement_choices(self) -> int:
        """How many statements the form allows after the fixed first one, if any."""
        subsets: int = (2 ** len(self.actions) - 1) * (2 ** len(self.resources) - 1)
        # Resource or NotResource always; Effect and Action/NotAction only in the free form.
        return subsets * 2 * (4 if self.form is Form.ANY else 1)

    def size(self) -> int:
        """The number of template instances: sets of distinct statements, at most ``k``."""
        choices = self.statement_choices()
        if self.form is Form.DENY_NOT_ACTION:
            return sum(math.comb(choices, n) for n in range(self.max_statements))
        return sum(math.comb(choices, n) for n in range(1, self.max_statements + 1))

    def describe(self) -> str:
        size = self.size()
        shown = f"{size:,}" if size < 10**7 else f"about {float(size):.1e}"
        return (
            f"{self.form.value} policies of at most {self.max_statements} statements over "
            f"{len(self.actions)} action and {len(self.resources)} resource patterns "
            f"({shown} instances)"
        )


_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _lower_names(catalog: Catalog, service: str) -> tuple[str, ...]:
    return tuple(name.lower() for name in catalog.services.get(service.lower(), ()))


def _action_candidates(actions: Sequence[str], catalog: Catalog) -> list[str]:
    found: list[str] = ["*"]
    for action in actions:
        service, _, name = action.partition(":")
        found.append(f"{service}:*")
    for action in actions:
        service, _, name = action.partition(":")
        found.append(f"{service}:{name}")
        # Wildcards at word boundaries: GetObjectAcl gives Get*, GetObject* (and the
        # exact action itself). Only patterns a real action stands behind are kept.
        cuts = [m.start() for m in _WORD.finditer(name)]
        names = _lower_names(catalog, service)
        for cut in cuts:
            prefix = name[:cut].lower()
            if any(known.startswith(prefix) for known in names):
                found.append(f"{service}:{name[:cut]}*")
    return found


def _resource_candidates(resources: Sequence[str]) -> list[str]:
    found: list[str] = ["*"]
    for resource in resources:
        found.append(resource)
        parts = resource.split(":", 5)
        if len(parts) < 6:
            continue
        prefix, rest = ":".join(parts[:5]) + ":", parts[5]
        for index in range(len(rest) - 1, -1, -1):
            if rest[index] == "/":
                found.append(prefix + rest[: index + 1] + "*")
        found.append(prefix + "*")
    return found


def _unique(items: Sequence[str], *, fold_case: bool) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.lower() if fold_case else item
        # "${...}" in a derived pattern would be read as a policy variable: skip it.
        if key not in seen and "${" not in item:
            seen.add(key)
            out.append(item)
    return tuple(out)


def derive_space(
    spec: AccessSpec,
    *,
    max_statements: int = 3,
    form: Form = Form.ANY,
    catalog: Catalog | None = None,
) -> TemplateSpace:
    """The candidate patterns for ``spec`` (see the module docstring)."""
    requests = [r for r, _ in spec.requests()]
    actions: list[str] = []
    resources: list[str] = []
    if spec.candidates.derive:
        actions = _action_candidates(
            [r.action for r in requests], catalog if catalog is not None else load_catalog()
        )
        resources = _resource_candidates([r.resource for r in requests])
    actions += spec.candidates.actions
    resources += spec.candidates.resources
    if form is Form.DENY_NOT_ACTION:
        actions.insert(0, "*")
        resources.insert(0, "*")
    return TemplateSpace(
        _unique(actions, fold_case=True),
        _unique(resources, fold_case=False),
        max_statements,
        form,
    )


# -- the match matrix: everything the solver needs to know about the requests ------------


@dataclass(frozen=True)
class RequestClass:
    """Spec requests that every template instance decides alike.

    A template statement sees only the action and the resource, so requests that agree on
    those and on how the evaluator treats an identity policy for them form one class.
    """

    requests: tuple[Request, ...]
    must_allow: tuple[bool, ...]
    actions: tuple[bool, ...]
    """Which candidate action patterns match the class's action."""
    resources: tuple[bool, ...]
    """Which candidate resource patterns match the class's resource."""
    granted_without_allow: bool
    """An empty policy already allows it (the account root user): only a Deny can stop it."""
    grantable: bool
    """"Allow ``*`` on ``*``" allows it: an identity policy alone can grant it."""

    def decided(self, applies: Sequence[tuple[bool, bool]]) -> bool:
        """Allowed, given for each statement whether it is an Allow and whether it applies."""
        if any(hit and not allow for allow, hit in applies):
            return False
        return self.granted_without_allow or (
            self.grantable and any(hit and allow for allow, hit in applies)
        )


def _allowed(policies: PolicySet, request: Request) -> bool:
    return evaluate(policies, request).decision is Decision.ALLOW


def request_classes(spec: AccessSpec, space: TemplateSpace) -> list[RequestClass]:
    """Group the spec's requests into classes and compute their match matrix concretely."""
    everything = PolicySet(identity=(parse_policy(policy_document([ALLOW_EVERYTHING])),))
    nothing = PolicySet(identity=(parse_policy({"Version": "2012-10-17", "Statement": []}),))
    groups: dict[tuple[str, str, bool, bool], list[tuple[Request, bool]]] = {}
    for request, must in spec.requests():
        key = (
            request.action.lower(),
            request.resource,
            _allowed(nothing, request),
            _allowed(everything, request),
        )
        groups.setdefault(key, []).append((request, must))
    classes = []
    for (_, _, base, grantable), members in groups.items():
        first = members[0][0]
        classes.append(
            RequestClass(
                tuple(r for r, _ in members),
                tuple(m for _, m in members),
                tuple(action_matches(p, first.action) for p in space.actions),
                tuple(arn_matches(p, first.resource) for p in space.resources),
                base,
                grantable,
            )
        )
    return classes


# -- brute force: the baseline and the cross-check for the solver ------------------------


def _subsets(items: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    for size in range(1, len(items) + 1):
        yield from itertools.combinations(items, size)


def statement_shapes(space: TemplateSpace) -> list[StatementShape]:
    """Every statement the template allows (the fixed Allow of deny-notaction excepted)."""
    effects = (True, False) if space.form is Form.ANY else (space.form is Form.ALLOW_ACTION,)
    negations = (False, True) if space.form is Form.ANY else (space.form is Form.DENY_NOT_ACTION,)
    return [
        StatementShape(allow, not_action, actions, not_resource, resources)
        for allow in effects
        for not_action in negations
        for actions in _subsets(space.actions)
        for not_resource in (False, True)
        for resources in _subsets(space.resources)
    ]


def _applies(shape: StatementShape, space: TemplateSpace, cls: RequestClass) -> bool:
    action = any(cls.actions[space.actions.index(p)] for p in shape.actions) != shape.not_action
    resource = (
        any(cls.resources[space.resources.index(p)] for p in shape.resources) != shape.not_resource
    )
    return action and resource


def smallest_by_enumeration(
    spec: AccessSpec, space: TemplateSpace
) -> tuple[int, int, list[tuple[StatementShape, ...]]] | None:
    """The least (statements, patterns) cost meeting ``spec``, and every instance of that
    cost, found by trying every instance in order of size; ``None`` when none fits.

    Exponential: meant for tiny spaces, as the baseline the solver is measured against.
    """
    classes = request_classes(spec, space)
    shapes = statement_shapes(space)
    table = [[(shape.allow, _applies(shape, space, cls)) for cls in classes] for shape in shapes]
    fixed: list[tuple[StatementShape, list[tuple[bool, bool]]]] = []
    if space.form is Form.DENY_NOT_ACTION:
        row = [(True, _applies(ALLOW_EVERYTHING, space, cls)) for cls in classes]
        fixed = [(ALLOW_EVERYTHING, row)]
    for size in range(1, space.max_statements + 1):
        free = size - len(fixed)
        best: int | None = None
        found: list[tuple[StatementShape, ...]] = []
        for chosen in itertools.combinations(range(len(shapes)), free):
            rows = [row for _, row in fixed] + [table[i] for i in chosen]
            if not all(
                cls.decided([row[j] for row in rows]) == must
                for j, cls in enumerate(classes)
                for must in cls.must_allow
            ):
                continue
            statements = tuple(s for s, _ in fixed) + tuple(shapes[i] for i in chosen)
            cost = sum(s.patterns for s in statements)
            if best is None or cost < best:
                best, found = cost, []
            if cost == best:
                found.append(canonical(statements))
        if best is not None:
            return size, best, found
    return None
