"""What a policy grants beyond a specification's ``allow`` list, in a reviewer's terms.

A specification leaves every request it does not name as *don't care*; a policy that
meets it may grant some of them. :func:`excess` lists them by the cells of
:mod:`fmlab.iam._grants`: for each action group and resource group the policy grants but
the ``allow`` list does not name, one example request (decided by the concrete
evaluator, not the solver), and counts per action group. A resource group that is not an
ARN of the specification stands for unboundedly many resources ("any other object under
``reports/*``").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._grants import ActionGroup, ResourceGroup, grant_cells
from fmlab.iam._model import Policy
from fmlab.iam._request import Request
from fmlab.iam._spec import DEFAULT_PRINCIPAL, AccessSpec
from fmlab.iam._templates import TemplateSpace, derive_space


@dataclass(frozen=True)
class ExcessCell:
    """A group of requests granted and not asked for: its example and its extent."""

    action: str
    actions: int
    """How many catalog actions the example action stands for."""
    resource: str
    named: bool
    """The resource is an ARN of the specification; otherwise it stands for many."""

    def describe(self) -> str:
        more = f" (and {self.actions - 1} more actions alike)" if self.actions > 1 else ""
        where = self.resource if self.named else f"{self.resource} (any resource like it)"
        return f"{self.action}{more} on {where}"


@dataclass(frozen=True)
class Excess:
    cells: tuple[ExcessCell, ...]

    @property
    def actions(self) -> int:
        """Catalog actions granted on some resource the ``allow`` list does not name."""
        seen: dict[str, int] = {}
        for cell in self.cells:
            seen[cell.action] = cell.actions
        return sum(seen.values())

    def per_action(self) -> Mapping[str, int]:
        """Per example action: how many resource groups it is granted on beyond the list."""
        counts: dict[str, int] = {}
        for cell in self.cells:
            counts[cell.action] = counts.get(cell.action, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "actions": self.actions,
            "per_action": dict(self.per_action()),
            "examples": [c.describe() for c in self.cells[:5]],
        }

    def explain(self, examples: int = 3) -> str:
        if not self.cells:
            return "grants nothing beyond the allow list"
        lines = [
            f"grants {len(self.cells)} request groups beyond the allow list, "
            f"over {self.actions} catalog actions; for example:"
        ]
        lines += [f"  {cell.describe()}" for cell in self.cells[:examples]]
        return "\n".join(lines)


def _listed(action: ActionGroup, resource: ResourceGroup, allowed: set[tuple[str, str]]) -> bool:
    return (
        action.size == 1
        and resource.named
        and (action.example.lower(), resource.example) in allowed
    )


def excess(
    policy: Policy,
    spec: AccessSpec,
    *,
    space: TemplateSpace | None = None,
    catalog: Catalog | None = None,
) -> Excess:
    """The request groups ``policy`` allows that ``spec``'s ``allow`` list does not name,
    broadest first. ``space`` gives the patterns the groups are cut by (by default the
    patterns derived from ``spec`` and the policy's own)."""
    known = catalog if catalog is not None else load_catalog()
    if space is None:
        space = derive_space(spec, catalog=known)
    own_actions = [a for s in policy.statements for a in s.actions]
    own_resources = [r for s in policy.statements for r in (s.resources or ())]
    space = TemplateSpace(
        tuple(dict.fromkeys([*space.actions, *own_actions])),
        tuple(dict.fromkeys([*space.resources, *own_resources])),
        space.max_statements,
        space.form,
    )
    cells = grant_cells(space, known, [r.resource for r, _ in spec.requests()])
    principal = spec.allow[0].principal if spec.allow else DEFAULT_PRINCIPAL
    allowed = {(r.action.lower(), r.resource) for r in spec.allow}
    policies = PolicySet(identity=(policy,))
    found = []
    for action, resource in cells.cells():
        if _listed(action, resource, allowed):
            continue
        request = Request.build(principal, action.example, resource.example)
        if evaluate(policies, request).decision is Decision.ALLOW:
            found.append(ExcessCell(action.example, action.size, resource.example, resource.named))
    found.sort(key=lambda c: (-c.actions * (1 if c.named else 1000), c.action, c.resource))
    return Excess(tuple(found))
