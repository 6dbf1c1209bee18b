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

import enum
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._grants import (
    FRESH,
    OTHER_RESOURCE,
    ActionGroup,
    GrantCells,
    ResourceGroup,
    grant_cells,
)
from fmlab.iam._model import Policy
from fmlab.iam._request import Request
from fmlab.iam._spec import DEFAULT_PRINCIPAL, AccessSpec
from fmlab.iam._templates import TemplateSpace, derive_space
from fmlab.iam._text import WIDTH
from fmlab.iam._text import wrapped as _wrapped
from fmlab.viz import Drawing

FONT = "Helvetica,Arial,sans-serif"


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
        more = f" (and {self.actions - 1:,} more actions alike)" if self.actions > 1 else ""
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
        """Per example action: how many resource groups it is granted on beyond the list,
        the action standing for the most catalog actions first, then the most groups."""
        counts: dict[str, int] = {}
        alike: dict[str, int] = {}
        for cell in self.cells:
            counts[cell.action] = counts.get(cell.action, 0) + 1
            alike[cell.action] = cell.actions
        ordered = sorted(counts, key=lambda a: (-alike[a], -counts[a], a))
        return {action: counts[action] for action in ordered}

    def to_json(self, examples: int = 5) -> dict[str, Any]:
        return {
            "request_groups": len(self.cells),
            "actions": self.actions,
            "per_action": dict(self.per_action()),
            "examples": [
                {
                    "action": cell.action,
                    "resource": cell.resource,
                    "actions_alike": cell.actions,
                    "any_resource_like_it": not cell.named,
                }
                for cell in self.cells[:examples]
            ],
        }

    def explain(self, examples: int = 3, width: int = WIDTH, actions: int = 6) -> str:
        """A few lines no wider than ``width``: counts, the ``actions`` broadest actions
        with their resource groups, and ``examples`` example requests."""
        if not self.cells:
            return "grants nothing beyond the allow list"
        groups = "group" if len(self.cells) == 1 else "groups"
        lines = _wrapped(
            f"grants {len(self.cells)} request {groups} beyond the allow list, over "
            f"{self.actions:,} catalog actions",
            "",
            width,
        )
        counts = list(self.per_action().items())
        shown = ", ".join(f"{action} {n}" for action, n in counts[:actions])
        if len(counts) > actions:
            shown += f", and {len(counts) - actions} more actions"
        lines += _wrapped(f"resource groups per action: {shown}", "  ", width)
        lines.append("  for example:")
        for cell in self.cells[:examples]:
            lines += _wrapped(cell.describe(), "    ", width)
        if len(self.cells) > examples:
            lines.append(f"    ... and {len(self.cells) - examples} more")
        return "\n".join(lines)


class CellState(enum.Enum):
    """How a policy treats one cell, next to what the specification says of it."""

    LISTED = "granted, named by the allow list"
    BEYOND = "granted beyond the allow list"
    REFUSED = "not granted, named by the deny list"
    WRONG = "granted, though the deny list names it"
    MISSING = "not granted, though the allow list names it"
    UNTOUCHED = "not granted"


def _named(action: ActionGroup, resource: ResourceGroup, pairs: set[tuple[str, str]]) -> bool:
    return (
        action.size == 1 and resource.named and (action.example.lower(), resource.example) in pairs
    )


def _space_with(
    policies: Sequence[Policy], spec: AccessSpec, space: TemplateSpace | None, catalog: Catalog
) -> TemplateSpace:
    """``space`` (by default derived from ``spec``) with the policies' own patterns, so
    that the cells tell apart everything the policies do."""
    if space is None:
        space = derive_space(spec, catalog=catalog)
    own_actions = [a for p in policies for s in p.statements for a in s.actions]
    own_resources = [r for p in policies for s in p.statements for r in (s.resources or ())]
    return TemplateSpace(
        tuple(dict.fromkeys([*space.actions, *own_actions])),
        tuple(dict.fromkeys([*space.resources, *own_resources])),
        space.max_statements,
        space.form,
    )


def _states(
    policy: Policy, spec: AccessSpec, cells: GrantCells
) -> dict[tuple[int, int], CellState]:
    """Each cell's state, its example request decided by the concrete evaluator."""
    principal = spec.allow[0].principal if spec.allow else DEFAULT_PRINCIPAL
    allowed = {(r.action.lower(), r.resource) for r in spec.allow}
    denied = {(r.action.lower(), r.resource) for r in spec.deny}
    policies = PolicySet(identity=(policy,))
    states = {}
    for i, action in enumerate(cells.actions):
        for j, resource in enumerate(cells.resources):
            request = Request.build(principal, action.example, resource.example)
            granted = evaluate(policies, request).decision is Decision.ALLOW
            if _named(action, resource, allowed):
                state = CellState.LISTED if granted else CellState.MISSING
            elif _named(action, resource, denied):
                state = CellState.WRONG if granted else CellState.REFUSED
            else:
                state = CellState.BEYOND if granted else CellState.UNTOUCHED
            states[i, j] = state
    return states


def excess(
    policy: Policy,
    spec: AccessSpec,
    *,
    space: TemplateSpace | None = None,
    catalog: Catalog | None = None,
) -> Excess:
    """The request groups ``policy`` allows that ``spec``'s ``allow`` list does not name,
    broadest first. ``space`` gives the patterns the groups are cut by (by default the
    patterns derived from ``spec``), with the policy's own added."""
    known = catalog if catalog is not None else load_catalog()
    space = _space_with([policy], spec, space, known)
    cells = grant_cells(space, known, [r.resource for r, _ in spec.requests()])
    found = [
        ExcessCell(
            cells.actions[i].example,
            cells.actions[i].size,
            cells.resources[j].example,
            cells.resources[j].named,
        )
        for (i, j), state in _states(policy, spec, cells).items()
        if state in (CellState.BEYOND, CellState.WRONG)
    ]
    found.sort(key=lambda c: (-c.actions * (1 if c.named else 1000), c.action, c.resource))
    return Excess(tuple(found))


# -- the drawing: one grid per policy, action groups by resource groups -------------------

_MARKS = {
    CellState.LISTED: ("\u2713", "#44BB99"),  # a tick on mint
    CellState.BEYOND: ("+", "#EE8866"),  # a plus on orange
    CellState.REFUSED: ("\u2717", "#DDDDDD"),  # a cross on pale grey
    CellState.WRONG: ("!", "#FFAABB"),
    CellState.MISSING: ("?", "#FFAABB"),
    CellState.UNTOUCHED: ("", "#FFFFFF"),
}
LABEL_WIDTH = 24


def _short_resource(resource: ResourceGroup) -> str:
    """``s3:reports/q1.csv`` for a named ARN, ``s3:reports/*`` for a filled pattern."""
    if resource.example == OTHER_RESOURCE:
        return "any other resource"
    text = resource.example.replace(FRESH, "*")
    parts = text.split(":", 5)
    if len(parts) == 6:
        text = f"{parts[2]}:{parts[5]}"
    return text if len(text) <= LABEL_WIDTH else "\u2026" + text[-(LABEL_WIDTH - 1) :]


def _short_action(action: ActionGroup) -> str:
    if action.unlisted is not None and not action.actions:
        return f"other services ({action.size:,})"
    more = f" (+{action.size - 1:,})" if action.size > 1 else ""
    return f"{action.example}{more}"


def _merged(
    labels: list[str],
    vectors: list[tuple[CellState, ...]],
    noun: str,
    sizes: list[int] | None = None,
) -> list[tuple[list[str], tuple[CellState, ...]]]:
    """Lines with the same marks, drawn once: the label lines of one or two, or "N
    ``noun``s" (with the number of catalog actions they stand for when ``sizes`` gives
    it)."""
    order: dict[tuple[CellState, ...], list[int]] = {}
    for index, vector in enumerate(vectors):
        order.setdefault(vector, []).append(index)
    merged = []
    for vector, members in order.items():
        names = [labels[m] for m in members]
        if len(names) > 2:
            names = [f"{len(names)} {noun}s"]
            if sizes is not None:
                names.append(f"{sum(sizes[m] for m in members):,} actions")
        merged.append((names, vector))
    return merged


def _grid(title: str, states: dict[tuple[int, int], CellState], cells: GrantCells) -> str:
    """One HTML-like table: a column per action group and a row per resource group that
    holds a mark, rows and columns with the same marks merged (few columns, with short
    labels, so that the grid fits a page column)."""
    columns = [
        i
        for i in range(len(cells.actions))
        if any(states[i, j] is not CellState.UNTOUCHED for j in range(len(cells.resources)))
    ]
    rows = [
        j
        for j in range(len(cells.resources))
        if any(states[i, j] is not CellState.UNTOUCHED for i in columns)
    ]
    merged_columns = _merged(
        [_short_action(cells.actions[i]) for i in columns],
        [tuple(states[i, j] for j in rows) for i in columns],
        "action group",
        [cells.actions[i].size for i in columns],
    )
    by_row = [tuple(column[1][r] for column in merged_columns) for r in range(len(rows))]
    merged_rows = _merged(
        [_short_resource(cells.resources[j]) for j in rows], by_row, "other resource group"
    )
    span = len(merged_columns) + 1
    out = [
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">',
        f'<TR><TD COLSPAN="{span}" BORDER="0"><B>{html.escape(title)}</B></TD></TR>',
        '<TR><TD BORDER="0"></TD>'
        + "".join(f"<TD>{_lines(names)}</TD>" for names, _ in merged_columns)
        + "</TR>",
    ]
    for names, marks in merged_rows:
        cells_html = "".join(
            f'<TD BGCOLOR="{_MARKS[state][1]}">{_MARKS[state][0]}</TD>' for state in marks
        )
        out.append(f'<TR><TD ALIGN="LEFT">{_lines(names)}</TD>{cells_html}</TR>')
    out.append("</TABLE>>")
    return "".join(out)


def _lines(names: list[str]) -> str:
    return "<BR/>".join(_small(name) for name in names)


def _small(text: str) -> str:
    return f'<FONT POINT-SIZE="10">{html.escape(text)}</FONT>'


def _legend() -> str:
    shown = [CellState.LISTED, CellState.BEYOND, CellState.REFUSED]
    entries = "".join(
        f'<TD BGCOLOR="{_MARKS[state][1]}">{_MARKS[state][0]}</TD>'
        f'<TD BORDER="0" ALIGN="LEFT">{_small(state.value)}</TD>'
        for state in shown
    )
    table = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" CELLPADDING="3">'
    return f"<{table}<TR>{entries}</TR></TABLE>>"


def draw_excess(
    policies: Mapping[str, Policy],
    spec: AccessSpec,
    *,
    space: TemplateSpace | None = None,
    catalog: Catalog | None = None,
) -> Drawing:
    """Each policy's granted cells against the specification, one grid under the other:
    a tick where the allow list asks, a plus beyond it, a cross where the deny list
    holds. Columns are action groups, rows resource groups; columns (or rows) with the
    same marks are drawn once ("N action groups")."""
    known = catalog if catalog is not None else load_catalog()
    space = _space_with(list(policies.values()), spec, space, known)
    cells = grant_cells(space, known, [r.resource for r, _ in spec.requests()])
    drawing = Drawing(
        graph_attr={"rankdir": "TB", "nodesep": "0.3", "ranksep": "0.3", "bgcolor": "white"},
        node_attr={"shape": "plain", "fontname": FONT, "fontsize": "11"},
        edge_attr={"style": "invis"},
    )
    drawing.node("legend", label=_legend())
    previous = "legend"
    for index, (title, policy) in enumerate(policies.items()):
        name = f"policy{index}"
        drawing.node(name, label=_grid(title, _states(policy, spec, cells), cells))
        drawing.edge(previous, name)
        previous = name
    return drawing
