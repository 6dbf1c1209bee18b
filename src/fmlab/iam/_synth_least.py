"""Least privilege for Allow-only policies, where the allow list's own groups suffice.

In an Allow-only policy a statement with action patterns P and resource patterns Q
grants the rectangle of cells (:mod:`fmlab.iam._grants`) that some pattern of P and some
pattern of Q match, and the policy grants the union of its statements' rectangles. Every
policy that meets a specification grants each cell holding a must-allow request: those
cells, the *floor*, are a lower bound on every granted set. So when some policy grants
exactly the floor, the floor is the *least* granted set (every other satisfying policy
grants a superset), and no search over granted sets is needed: only the fewest
statements and patterns granting exactly it, which is a small question, because a
policy grants nothing beyond the floor exactly when each statement pairs only patterns
whose rectangle lies inside it.

>>> from fmlab.iam._catalog import Catalog
>>> from fmlab.iam._grants import grant_cells
>>> from fmlab.iam._spec import AccessSpec
>>> from fmlab.iam._templates import Form, derive_space, request_classes
>>> small = Catalog.from_mapping({"s3": ["GetObject", "GetObjectAcl", "PutObject"]})
>>> spec = AccessSpec.build([("s3:GetObject", "arn:aws:s3:::b/k")],
...                         [("s3:PutObject", "arn:aws:s3:::b/k")])
>>> space = derive_space(spec, form=Form.ALLOW_ACTION, catalog=small)
>>> cells = grant_cells(space, small, ["arn:aws:s3:::b/k"])
>>> floor = Floor.of(cells, request_classes(spec, space))
>>> [(space.actions[p], space.resources[q]) for p, q in floor.pairs]
[('s3:GetObject', 'arn:aws:s3:::b/k')]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import z3

from fmlab.iam._grants import GrantCells, weight
from fmlab.iam._templates import (
    Form,
    RequestClass,
    StatementShape,
    TemplateSpace,
    action_generality,
    resource_generality,
)

Cell = tuple[int, int]


@dataclass(frozen=True)
class Floor:
    """The cells every satisfying Allow-only policy grants, and the pattern pairs whose
    rectangles lie inside them (the only pairs a policy granting exactly them may use)."""

    cells: frozenset[Cell]
    pairs: tuple[tuple[int, int], ...]
    action_cells: tuple[frozenset[int], ...]
    """Per action pattern: the action groups it matches."""
    resource_cells: tuple[frozenset[int], ...]

    @classmethod
    def of(cls, cells: GrantCells, classes: Sequence[RequestClass]) -> Floor | None:
        """``None`` when the floor argument does not apply: a request only a Deny decides
        (the account root user), or one whose action no catalog group holds."""
        action_index = {group.matches: i for i, group in enumerate(cells.actions)}
        resource_index = {group.matches: j for j, group in enumerate(cells.resources)}
        floor: set[Cell] = set()
        for request_class in classes:
            if request_class.granted_without_allow:
                return None
            i = action_index.get(request_class.actions)
            j = resource_index.get(request_class.resources)
            if i is None or j is None:
                return None
            if True in request_class.must_allow:
                floor.add((i, j))
        return cls.inside(cells, frozenset(floor))

    @classmethod
    def inside(cls, cells: GrantCells, target: frozenset[Cell]) -> Floor:
        """``target`` (any set of cells) with the pattern pairs whose rectangle lies in it:
        the policies granting exactly ``target`` use only those pairs and cover it."""
        patterns = len(cells.actions[0].matches) if cells.actions else 0
        action_cells = tuple(
            frozenset(i for i, group in enumerate(cells.actions) if group.matches[p])
            for p in range(patterns)
        )
        resource_cells = tuple(
            frozenset(j for j, group in enumerate(cells.resources) if group.matches[q])
            for q in range(len(cells.resources[0].matches) if cells.resources else 0)
        )
        rows = {i for i, _ in target}
        columns = {j for _, j in target}
        pairs = tuple(
            (p, q)
            for p, acts in enumerate(action_cells)
            if acts and acts <= rows
            for q, ress in enumerate(resource_cells)
            if ress and ress <= columns and all((i, j) in target for i in acts for j in ress)
        )
        return cls(target, pairs, action_cells, resource_cells)


def _connective(make: Any, terms: Sequence[z3.BoolRef]) -> z3.BoolRef:
    """``And``/``Or`` of boolean terms through z3's C API: the Python ``z3.And`` checks
    and coerces every argument, which dominated building one formula per cell."""
    context = terms[0].ctx
    array = (z3.Ast * len(terms))(*(term.as_ast() for term in terms))
    return z3.BoolRef(make(context.ref(), len(terms), array), context)


def _all(terms: Sequence[z3.BoolRef]) -> z3.BoolRef:
    return _connective(z3.Z3_mk_and, terms) if terms else z3.BoolVal(True)


def _any(terms: Sequence[z3.BoolRef]) -> z3.BoolRef:
    return _connective(z3.Z3_mk_or, terms) if terms else z3.BoolVal(False)


def _not(term: z3.BoolRef) -> z3.BoolRef:
    return z3.BoolRef(z3.Z3_mk_not(term.ctx.ref(), term.as_ast()), term.ctx)


def in_cells(cells: GrantCells, classes: Sequence[RequestClass]) -> bool:
    """Whether every request class of the spec is one of the cells (an action outside
    the catalog is in none, and then the granted cells do not decide the spec)."""
    actions = {group.matches for group in cells.actions}
    resources = {group.matches for group in cells.resources}
    return all(c.actions in actions and c.resources in resources for c in classes)


def _decode_allows(
    model: z3.ModelRef,
    space: TemplateSpace,
    actions: Sequence[Mapping[int, z3.BoolRef]],
    resources: Sequence[Mapping[int, z3.BoolRef]],
) -> tuple[StatementShape, ...]:
    """The Allow statements a model chose: per slot, the patterns whose choice is true.

    Both encodings below number a slot's action and resource patterns by their index in
    the template space, so one decoding serves them.
    """

    def chosen(choices: Mapping[int, z3.BoolRef]) -> list[int]:
        return [i for i, v in choices.items() if z3.is_true(model.eval(v, model_completion=True))]

    return tuple(
        StatementShape(
            True,
            False,
            tuple(space.actions[p] for p in chosen(slot_actions)),
            False,
            tuple(space.resources[q] for q in chosen(slot_resources)),
        )
        for slot_actions, slot_resources in zip(actions, resources, strict=True)
    )


class FloorEncoding:
    """``slots`` Allow statements granting exactly the floor, as boolean choices over
    the patterns that occur in some pair inside it (every other pattern is left out:
    with any partner it would grant a cell outside the floor)."""

    def __init__(self, space: TemplateSpace, floor: Floor, slots: int) -> None:
        assert space.form is Form.ALLOW_ACTION
        self.space = space
        self.slots = slots
        self.action_patterns = sorted({p for p, _ in floor.pairs})
        self.resource_patterns = sorted({q for _, q in floor.pairs})
        self.actions = [
            {p: z3.Bool(f"floor_action_{s}_{p}") for p in self.action_patterns}
            for s in range(slots)
        ]
        self.resources = [
            {q: z3.Bool(f"floor_resource_{s}_{q}") for q in self.resource_patterns}
            for s in range(slots)
        ]
        inside = set(floor.pairs)
        self.constraints: list[z3.BoolRef] = []
        for s in range(slots):
            acts, ress = self.actions[s], self.resources[s]
            self.constraints += [_any(list(acts.values())), _any(list(ress.values()))]
            self.constraints += [
                _any([_not(acts[p]), _not(ress[q])])
                for p, q in itertools.product(self.action_patterns, self.resource_patterns)
                if (p, q) not in inside
            ]
        for i, j in sorted(floor.cells):
            matching_actions = [p for p in self.action_patterns if i in floor.action_cells[p]]
            matching_resources = [q for q in self.resource_patterns if j in floor.resource_cells[q]]
            self.constraints.append(
                _any(
                    [
                        _all(
                            [
                                _any([self.actions[s][p] for p in matching_actions]),
                                _any([self.resources[s][q] for q in matching_resources]),
                            ]
                        )
                        for s in range(slots)
                    ]
                )
            )

    def _choices(self, slot: int) -> list[tuple[z3.BoolRef, str, bool]]:
        """(variable, pattern, is an action pattern) for one slot."""
        return [(v, self.space.actions[p], True) for p, v in self.actions[slot].items()] + [
            (v, self.space.resources[q], False) for q, v in self.resources[slot].items()
        ]

    def pattern_terms(self) -> list[tuple[z3.BoolRef, int]]:
        return [(v, 1) for s in range(self.slots) for v, _, _ in self._choices(s)]

    def generality_terms(self) -> list[tuple[z3.BoolRef, int]]:
        terms = [
            (v, action_generality(p) if is_action else resource_generality(p))
            for s in range(self.slots)
            for v, p, is_action in self._choices(s)
        ]
        return [(v, weight) for v, weight in terms if weight > 0]

    def decode(self, model: z3.ModelRef) -> tuple[StatementShape, ...]:
        return _decode_allows(model, self.space, self.actions, self.resources)

    def block(self, statements: Sequence[StatementShape]) -> z3.BoolRef:
        """Rule out this set of statements in every order of the slots."""
        return z3.And(
            [
                z3.Not(
                    z3.And(
                        [
                            v == (pattern in (shape.actions if is_action else shape.resources))
                            for slot, shape in enumerate(order)
                            for v, pattern, is_action in self._choices(slot)
                        ]
                    )
                )
                for order in itertools.permutations(statements)
            ]
        )


def _match_sets(cells: GrantCells) -> tuple[tuple[frozenset[int], ...], tuple[frozenset[int], ...]]:
    """Per action pattern the action groups it matches, per resource pattern the
    resource groups."""
    actions = len(cells.actions[0].matches) if cells.actions else 0
    resources = len(cells.resources[0].matches) if cells.resources else 0
    return (
        tuple(
            frozenset(i for i, group in enumerate(cells.actions) if group.matches[p])
            for p in range(actions)
        ),
        tuple(
            frozenset(j for j, group in enumerate(cells.resources) if group.matches[q])
            for q in range(resources)
        ),
    )


class PairEncoding:
    """``slots`` Allow statements meeting a specification, for comparing granted sets.

    A must-deny request is granted exactly when some statement pairs an action pattern
    and a resource pattern that both match it, so the specification's Deny side is one
    exclusion per incompatible pair; a pattern compatible with no partner is left out,
    and so is every cell no compatible pair reaches (never granted). Each remaining cell
    gets one formula, built from per-statement "covers this action group" and "covers
    this resource group" terms. ``None`` from :meth:`build` when the argument does not
    apply (a request only a Deny decides, or one outside the cells).
    """

    def __init__(
        self,
        space: TemplateSpace,
        cells: GrantCells,
        floor: frozenset[Cell],
        denied: frozenset[Cell],
        slots: int,
    ) -> None:
        self.space = space
        self.slots = slots
        action_cells, resource_cells = _match_sets(cells)
        compatible = {
            (p, q)
            for p, acts in enumerate(action_cells)
            for q, ress in enumerate(resource_cells)
            if acts and ress and not any(i in acts and j in ress for i, j in denied)
        }
        self.action_patterns = sorted({p for p, _ in compatible})
        self.resource_patterns = sorted({q for _, q in compatible})
        self.actions = [
            {p: z3.Bool(f"pair_action_{s}_{p}") for p in self.action_patterns} for s in range(slots)
        ]
        self.resources = [
            {q: z3.Bool(f"pair_resource_{s}_{q}") for q in self.resource_patterns}
            for s in range(slots)
        ]
        self.constraints: list[z3.BoolRef] = []
        for s in range(slots):
            acts, ress = self.actions[s], self.resources[s]
            self.constraints += [z3.Or(list(acts.values())), z3.Or(list(ress.values()))]
            self.constraints += [
                _any([_not(acts[p]), _not(ress[q])])
                for p, q in itertools.product(self.action_patterns, self.resource_patterns)
                if (p, q) not in compatible
            ]
        reachable = {
            (i, j) for p, q in compatible for i in action_cells[p] for j in resource_cells[q]
        }
        rows = sorted({i for i, _ in reachable})
        columns = sorted({j for _, j in reachable})
        covers_row = [
            {i: _any([v for p, v in self.actions[s].items() if i in action_cells[p]]) for i in rows}
            for s in range(slots)
        ]
        covers_column = [
            {
                j: _any([v for q, v in self.resources[s].items() if j in resource_cells[q]])
                for j in columns
            }
            for s in range(slots)
        ]
        self.granted = {
            (i, j): _any([_all([covers_row[s][i], covers_column[s][j]]) for s in range(slots)])
            for i, j in sorted(reachable)
        }
        # Every must-allow cell granted (an unreachable one makes the encoding unsat).
        self.constraints += [self.granted.get(cell, z3.BoolVal(False)) for cell in floor]

    def grant_terms(self, cells: GrantCells) -> list[tuple[z3.BoolRef, int]]:
        """Per cell, row by row as :meth:`GrantCells.cells` lists them: "granted", and its
        weight (``False`` for a cell no compatible pair reaches)."""
        return [
            (self.granted.get((i, j), z3.BoolVal(False)), weight(action, resource))
            for i, action in enumerate(cells.actions)
            for j, resource in enumerate(cells.resources)
        ]

    def decode(self, model: z3.ModelRef) -> tuple[StatementShape, ...]:
        return _decode_allows(model, self.space, self.actions, self.resources)


def pair_encoding(
    space: TemplateSpace, cells: GrantCells, classes: Sequence[RequestClass], slots: int
) -> PairEncoding | None:
    """:class:`PairEncoding` for an Allow-only space, or ``None`` where it does not apply:
    a request only a Deny decides (the account root user), or one outside the cells."""
    if space.form is not Form.ALLOW_ACTION or not in_cells(cells, classes):
        return None
    action_index = {group.matches: i for i, group in enumerate(cells.actions)}
    resource_index = {group.matches: j for j, group in enumerate(cells.resources)}
    floor: set[Cell] = set()
    denied: set[Cell] = set()
    for request_class in classes:
        if request_class.granted_without_allow:
            return None
        cell = (action_index[request_class.actions], resource_index[request_class.resources])
        if True in request_class.must_allow:
            floor.add(cell)
        elif request_class.grantable:  # an ungrantable request is denied anyway
            denied.add(cell)
    return PairEncoding(space, cells, frozenset(floor), frozenset(denied), slots)
