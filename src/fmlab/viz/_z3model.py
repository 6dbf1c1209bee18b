"""Drawing a z3 model: uninterpreted sorts as atoms, everything else in a value table.

Elements of an uninterpreted sort (z3 prints them ``A!val!0``; we write ``A$0`` as Alloy
does) become atoms of a relational instance, drawn by :func:`draw_instance`:

* a constant of such a sort is a label on its element, like an Alloy skolem constant;
* a predicate over such sorts is a relation of the same arity (labels or edges);
* a function into such a sort adds its result as the last column (``f(a) = b`` is an
  edge ``a -> b`` labelled ``f``);
* a unary function into a built-in sort is a line ``f = 3`` inside the element.

Constants and functions of built-in sorts (Int, Bool, Real, String, BitVec, datatypes)
are listed in one table node, functions compactly as ``1 ↦ 2, else ↦ 0``.

>>> import z3
>>> Person = z3.DeclareSort("Person")
>>> alice, likes = z3.Const("alice", Person), z3.Function("likes", Person, Person, z3.BoolSort())
>>> s = z3.Solver(); s.add(likes(alice, alice), z3.Int("n") == 7); _ = s.check()
>>> source = draw_z3_model(s.model()).source
>>> "Person$0" in source and "(alice)" in source and "likes" in source and ">7<" in source
True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

import z3

from fmlab.core.instance import Instance
from fmlab.core.solving import python_value
from fmlab.viz._instance import draw_instance
from fmlab.viz._render import Drawing, add_node, new_drawing
from fmlab.viz._table import TABLE_NODE, html_table
from fmlab.viz._text import natural_key, plain_label, show_value

EMPTY_LABEL = "empty model"
# Beyond this many argument tuples a function over uninterpreted sorts is listed in the
# table from its interpretation instead of being evaluated point by point.
MAX_POINTS = 2_000
MAX_ENTRIES = 8
MAX_CHARS = 120
_ELEMENT = re.compile(r"(\S+?)!val!(\d+)")


def element_name(term: Any) -> str:
    """z3's ``A!val!0`` as Alloy's ``A$0``; other text unchanged.

    >>> element_name("Node!val!12"), element_name("f(Node!val!1)")
    ('Node$12', 'f(Node$1)')
    """
    return _ELEMENT.sub(r"\1$\2", str(term))


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def _is_uninterpreted(sort: Any) -> bool:
    kind: int = sort.kind()
    uninterpreted: int = z3.Z3_UNINTERPRETED_SORT
    return kind == uninterpreted


def _interpretation_text(interp: Any) -> str:
    """A ``FuncInterp`` as ``a ↦ v, (a, b) ↦ w, …, else ↦ d``, sorted by argument."""
    entries = []
    for i in range(interp.num_entries()):
        entry = interp.entry(i)
        args = [_term_text(entry.arg_value(j)) for j in range(entry.num_args())]
        key = args[0] if len(args) == 1 else f"({', '.join(args)})"
        entries.append((natural_key(key), f"{key} ↦ {_term_text(entry.value())}"))
    entries.sort()
    shown = [text for _, text in entries[:MAX_ENTRIES]]
    if len(entries) > MAX_ENTRIES:
        shown.append(f"… {len(entries) - MAX_ENTRIES} more")
    default = interp.else_value()
    if default is not None:  # z3 leaves it out when every point is listed
        shown.append(f"else ↦ {_term_text(default)}")
    return ", ".join(shown)


def _term_text(term: Any) -> str:
    """A value term as text: literals as Python shows them, anything else as z3 does."""
    literal = (z3.is_int_value, z3.is_rational_value, z3.is_string_value, z3.is_bv_value)
    if any(test(term) for test in literal) or z3.is_true(term) or z3.is_false(term):
        return _shorten(show_value(python_value(term)))
    return _shorten(element_name(term))


def _value_text(value: Any) -> str:
    if isinstance(value, z3.FuncInterp):
        return _interpretation_text(value)
    return _term_text(value)


class _Collector:
    """Accumulates atoms, relations, notes and table rows while walking a model."""

    def __init__(self, model: z3.ModelRef) -> None:
        self.model = model
        self.universe: dict[str, list[Any]] = {}
        for sort in model.sorts():
            elements = list(model.get_universe(sort))
            self.universe[sort.name()] = sorted(elements, key=lambda e: natural_key(str(e)))
        self.relations: dict[str, set[tuple[str, ...]]] = {}
        self.notes: dict[str, list[str]] = {}
        self.rows: list[tuple[str, str]] = []

    def relate(self, name: str, atoms: tuple[str, ...]) -> None:
        arity_name = name
        existing = self.relations.get(name)
        if existing and len(next(iter(existing))) != len(atoms):
            arity_name = f"{name}/{len(atoms)}"  # z3 overloads a name across arities
        self.relations.setdefault(arity_name, set()).add(atoms)

    def add_declaration(self, decl: Any) -> None:
        name: str = decl.name()
        domain = [decl.domain(i) for i in range(decl.arity())]
        result_sort = decl.range()
        if not domain:
            value = self.model[decl]
            if _is_uninterpreted(result_sort):
                self.relate(name, (element_name(value),))
            else:
                self.rows.append((name, _value_text(value)))
            return
        universes = [self.universe.get(sort.name(), []) for sort in domain]
        points = 1
        for elements in universes:
            points *= len(elements)
        if not all(_is_uninterpreted(s) for s in domain) or points > MAX_POINTS:
            self.rows.append((name, _value_text(self.model[decl])))
            return
        self._evaluate_pointwise(decl, name, universes, result_sort)

    def _evaluate_pointwise(
        self, decl: Any, name: str, universes: Sequence[list[Any]], result_sort: Any
    ) -> None:
        """Tabulate a function whose arguments all range over (small) uninterpreted sorts."""
        table_points: list[str] = []
        for args in itertools.product(*universes):
            value = self.model.eval(decl(*args), model_completion=True)
            atoms = tuple(element_name(a) for a in args)
            if z3.is_bool(value):
                if z3.is_true(value):
                    self.relate(name, atoms)
            elif _is_uninterpreted(result_sort):
                self.relate(name, (*atoms, element_name(value)))
            elif len(atoms) == 1:
                self.notes.setdefault(atoms[0], []).append(f"{name} = {_value_text(value)}")
            else:
                table_points.append(f"({', '.join(atoms)}) ↦ {_value_text(value)}")
        if table_points:
            self.rows.append((name, ", ".join(table_points)))


def draw_z3_model(
    model: z3.ModelRef,
    *,
    title: str | None = None,
    rankdir: str = "LR",
    show_internal: bool = False,
) -> Drawing:
    """Draw a z3 model (see the module docstring for the conventions).

    Declarations whose name contains ``!`` are z3's own auxiliaries (``k!0``) and are
    hidden unless ``show_internal`` is set.
    """
    collected = _Collector(model)
    decls = sorted(model.decls(), key=lambda d: (natural_key(d.name()), d.arity()))
    for decl in decls:
        if show_internal or "!" not in decl.name():
            collected.add_declaration(decl)
    atoms = {
        sort: [element_name(e) for e in elements] for sort, elements in collected.universe.items()
    }
    if any(atoms.values()):
        instance = Instance.build(atoms, collected.relations)
        graph = draw_instance(instance, title=title, rankdir=rankdir, notes=collected.notes)
    else:
        graph = new_drawing(title, rankdir=rankdir)
    rows = sorted(collected.rows, key=lambda row: natural_key(row[0]))
    if rows:
        add_node(graph, "values", html_table(rows, header="values"), TABLE_NODE)
    elif not any(atoms.values()):
        add_node(graph, "empty", plain_label(EMPTY_LABEL), {"shape": "plaintext"})
    return graph
