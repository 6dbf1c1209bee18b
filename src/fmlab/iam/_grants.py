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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fmlab.iam._catalog import Catalog
from fmlab.iam._patterns import action_matches, arn_matches
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
    matches: tuple[bool, ...]
    """Which candidate action patterns match the group's actions."""
    actions: tuple[str, ...]
    example: str

    @property
    def size(self) -> int:
        return len(self.actions)


@dataclass(frozen=True)
class ResourceGroup:
    matches: tuple[bool, ...]
    example: str
    named: bool
    """The example is an ARN of the specification (one resource), not a filled pattern."""

    @property
    def weight(self) -> int:
        return 1 if self.named else UNNAMED_WEIGHT


@dataclass(frozen=True)
class GrantCells:
    actions: tuple[ActionGroup, ...]
    resources: tuple[ResourceGroup, ...]

    def cells(self) -> list[tuple[ActionGroup, ResourceGroup]]:
        return [(a, r) for a in self.actions for r in self.resources]

    def describe(self) -> str:
        return (
            f"{len(self.actions)} action groups ({sum(a.size for a in self.actions)} catalog "
            f"actions) by {len(self.resources)} resource groups"
        )


def _relevant_actions(space: TemplateSpace, catalog: Catalog) -> list[str]:
    services = set()
    for pattern in space.actions:
        if pattern == "*":
            continue
        service = pattern.partition(":")[0].lower()
        if "*" in service or "?" in service:
            return catalog.actions()  # a wildcard service: every action may matter
        services.add(service)
    return [f"{s}:{name}" for s in sorted(services) for name in catalog.services.get(s, ())]


def grant_cells(space: TemplateSpace, catalog: Catalog, resources: Iterable[str]) -> GrantCells:
    """The action and resource groups of ``space`` (see the module docstring)."""
    by_vector: dict[tuple[bool, ...], list[str]] = {}
    named = _relevant_actions(space, catalog)
    for action in named:
        vector = tuple(action_matches(p, action) for p in space.actions)
        by_vector.setdefault(vector, []).append(action)
    mentioned = {a.partition(":")[0].lower() for a in named}
    others = [a for a in catalog.actions() if a.partition(":")[0].lower() not in mentioned]
    if others and len(named) < len(catalog):
        # Every other service's actions: only "*" (and NotAction) reach them, all alike.
        vector = tuple(action_matches(p, others[0]) for p in space.actions)
        by_vector.setdefault(vector, []).extend(others)
    actions = tuple(
        ActionGroup(vector, tuple(members), members[0]) for vector, members in by_vector.items()
    )
    witnesses: list[tuple[str, bool]] = [(r, True) for r in resources if r != "*"]
    for pattern in space.resources:
        filled = OTHER_RESOURCE if pattern == "*" else pattern.replace("*", FRESH)
        witnesses.append((filled.replace("?", "x"), False))
    witnesses.append((OTHER_RESOURCE, False))
    groups: dict[tuple[bool, ...], ResourceGroup] = {}
    for arn, is_named in witnesses:
        vector = tuple(arn_matches(p, arn) for p in space.resources)
        if vector not in groups:
            groups[vector] = ResourceGroup(vector, arn, is_named)
    return GrantCells(actions, tuple(groups.values()))


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
