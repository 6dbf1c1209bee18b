"""What a template policy grants, in finitely many groups: the ground of least privilege.

A template statement sees a request's action and resource only through the candidate
patterns. Two catalog actions that the same candidate action patterns match are granted
alike by every template instance, and so are two resources that the same resource
patterns match. So the requests any instance can grant fall into finitely many *cells*:
an action group (with how many catalog actions it holds) times a resource group (with a
representative ARN). The granted set of an instance is a set of cells, and "grants a
strict subset" is decided cell by cell.

Resource groups come from witnesses: each ARN of the specification, and for each
candidate pattern one ARN it matches with its wildcards filled by a fresh name
(``arn:aws:s3:::reports/*`` gives ``arn:aws:s3:::reports/fmlab-other``). For the
patterns the templates derive (exact ARNs, their parent folders, service-wide ARNs,
``*``) every group the patterns can tell apart has such a witness.

>>> from fmlab.iam._catalog import Catalog
>>> from fmlab.iam._templates import TemplateSpace
>>> small = Catalog.from_mapping({"s3": ["GetObject", "GetObjectAcl", "PutObject"],
...                               "sqs": ["SendMessage"]})
>>> space = TemplateSpace(("s3:GetObject", "s3:Get*"), ("arn:aws:s3:::b/k", "*"), 2)
>>> cells = grant_cells(space, small, ["arn:aws:s3:::b/k"])
>>> [(g.example, g.size) for g in cells.actions]  # PutObject and SendMessage: no pattern
[('s3:GetObject', 1), ('s3:GetObjectAcl', 1), ('s3:PutObject', 2)]
>>> [(g.example, g.named) for g in cells.resources]
[('arn:aws:s3:::b/k', True), ('arn:aws:fmlab-other:us-east-1::other', False)]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from fmlab.iam._catalog import Catalog
from fmlab.iam._patterns import arn_matches, ascii_lower, lowered_action_matches
from fmlab.iam._templates import TemplateSpace

OTHER_RESOURCE = "arn:aws:fmlab-other:us-east-1::other"
"""A resource no derived pattern but ``*`` matches: every other service. It names no
account, so the evaluator does not treat it as cross-account (which would need a
resource policy, and so hide what the identity policy grants)."""
FRESH = "fmlab-other"
UNNAMED_WEIGHT = 1000
"""A resource group without a named ARN stands for unboundedly many resources."""


@dataclass(frozen=True)
class ActionGroup:
    """Catalog actions the candidate action patterns cannot tell apart, and one example."""

    matches: tuple[bool, ...]
    """Which candidate action patterns match the group's actions."""
    actions: tuple[str, ...]
    example: str
    unlisted: Catalog | None = field(default=None, compare=False, repr=False)
    """For the group holding every service no pattern names: the catalog, whose other
    services are counted only when :attr:`size` is asked for (reading all 457 service
    files takes 0.4 s, and least privilege rarely needs that group's size)."""
    listed: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """The services whose actions the other groups hold, which ``unlisted`` leaves out."""

    @functools.cached_property
    def size(self) -> int:
        if self.unlisted is None:
            return len(self.actions)
        return len(self.actions) + sum(
            len(actions)
            for service, actions in self.unlisted.services.items()
            if service not in self.listed
        )


@dataclass(frozen=True)
class ResourceGroup:
    """Resources the candidate resource patterns cannot tell apart, shown by one ARN."""

    matches: tuple[bool, ...]
    example: str
    named: bool
    """The example is an ARN of the specification (one resource), not a filled pattern."""

    @property
    def weight(self) -> int:
        return 1 if self.named else UNNAMED_WEIGHT


@dataclass(frozen=True)
class GrantCells:
    """Every request a template policy can grant, as action groups times resource groups."""

    actions: tuple[ActionGroup, ...]
    resources: tuple[ResourceGroup, ...]

    def cells(self) -> list[tuple[ActionGroup, ResourceGroup]]:
        return [(a, r) for a in self.actions for r in self.resources]

    def describe(self) -> str:
        # Without the catalog's action count: the group of every service no pattern
        # names would read all of them to be counted (ActionGroup.unlisted).
        return f"{len(self.actions)} action groups by {len(self.resources)} resource groups"


def _relevant_actions(space: TemplateSpace, catalog: Catalog) -> tuple[list[str], bool]:
    """The catalog actions the patterns tell apart, and whether they are all of them."""
    services = set()
    for pattern in space.actions:
        if pattern == "*":
            continue
        service = pattern.partition(":")[0].lower()
        if "*" in service or "?" in service:
            return catalog.actions(), True  # a wildcard service: every action may matter
        services.add(service)
    named = [f"{s}:{name}" for s in sorted(services) for name in catalog.services.get(s, ())]
    return named, False


@dataclass(frozen=True)
class _Testers:
    """The action patterns as tests of lower-cased actions, by their literal service
    prefix (``"s3:"``); a pattern with a wildcard in its service is tested on every
    action. A pattern of another service never matches, so most need no test."""

    count: int
    by_service: dict[str, list[tuple[int, Callable[[str], bool]]]]
    everywhere: list[tuple[int, Callable[[str], bool]]]

    @classmethod
    def of(cls, space: TemplateSpace) -> _Testers:
        by_service: dict[str, list[tuple[int, Callable[[str], bool]]]] = {}
        everywhere: list[tuple[int, Callable[[str], bool]]] = []
        for index, pattern in enumerate(space.actions):
            service, colon, _ = ascii_lower(pattern).partition(":")
            test = functools.partial(lowered_action_matches, pattern)
            if colon and "*" not in service and "?" not in service:
                by_service.setdefault(service + ":", []).append((index, test))
            else:
                everywhere.append((index, test))
        return cls(len(space.actions), by_service, everywhere)

    def vector(self, action: str) -> tuple[bool, ...]:
        lowered = ascii_lower(action)
        service = lowered.partition(":")[0] + ":"
        found = [False] * self.count
        for index, test in (*self.by_service.get(service, ()), *self.everywhere):
            found[index] = test(lowered)
        return tuple(found)


def _other_example(catalog: Catalog, mentioned: set[str]) -> str | None:
    """An action of the first service no pattern names (reads that service only)."""
    for service in catalog.services:
        if service not in mentioned:
            actions = catalog.services[service]
            if actions:
                return f"{service}:{actions[0]}"
    return None


def grant_cells(space: TemplateSpace, catalog: Catalog, resources: Iterable[str]) -> GrantCells:
    """The action and resource groups of ``space`` (see the module docstring)."""
    testers = _Testers.of(space)
    by_vector: dict[tuple[bool, ...], list[str]] = {}
    named, everything = _relevant_actions(space, catalog)
    for action in named:
        by_vector.setdefault(testers.vector(action), []).append(action)
    groups = [
        ActionGroup(vector, tuple(members), members[0]) for vector, members in by_vector.items()
    ]
    mentioned = {a.partition(":")[0].lower() for a in named}
    example = None if everything else _other_example(catalog, mentioned)
    if example is not None:
        # Every other service's actions: only "*" (and NotAction) reach them, all alike.
        # The group is counted when its size is needed (ActionGroup.unlisted).
        vector = testers.vector(example)
        if vector in by_vector:  # patterns that cannot tell them from a named group
            index = list(by_vector).index(vector)
            same = groups[index]
            groups[index] = ActionGroup(
                vector, same.actions, same.example, catalog, frozenset(mentioned)
            )
        else:
            groups.append(ActionGroup(vector, (), example, catalog, frozenset(mentioned)))
    witnesses: list[tuple[str, bool]] = [(r, True) for r in resources if r != "*"]
    for pattern in space.resources:
        filled = OTHER_RESOURCE if pattern == "*" else pattern.replace("*", FRESH)
        witnesses.append((filled.replace("?", "x"), False))
    witnesses.append((OTHER_RESOURCE, False))
    resource_groups: dict[tuple[bool, ...], ResourceGroup] = {}
    for arn, is_named in witnesses:
        vector = tuple(arn_matches(p, arn) for p in space.resources)
        if vector not in resource_groups:
            resource_groups[vector] = ResourceGroup(vector, arn, is_named)
    return GrantCells(tuple(groups), tuple(resource_groups.values()))


def weight(action: ActionGroup, resource: ResourceGroup) -> int:
    """A cell's share of the granted set: its actions times its resources."""
    return action.size * resource.weight


def granted_cells(
    cells: GrantCells, statements: Sequence[tuple[bool, bool, Sequence[int], bool, Sequence[int]]]
) -> frozenset[tuple[int, int]]:
    """The cells a policy grants, from (allow, not_action, action indices, not_resource,
    resource indices) per statement: an Allow applies and no Deny does."""
    granted = set()
    for i, action in enumerate(cells.actions):
        for j, resource in enumerate(cells.resources):
            allowed = denied = False
            for allow, not_action, acts, not_resource, res in statements:
                hit_action = any(action.matches[p] for p in acts) != not_action
                hit_resource = any(resource.matches[q] for q in res) != not_resource
                if hit_action and hit_resource:
                    allowed |= allow
                    denied |= not allow
            if allowed and not denied:
                granted.add((i, j))
    return frozenset(granted)
