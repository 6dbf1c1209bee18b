r"""Drawing a relational :class:`~fmlab.core.instance.Instance` the way Alloy does.

One node per atom, coloured and shaped by signature; unary relations listed inside the
atom (``Admin\n(root, active)``); a binary relation ``r`` as edges labelled ``r``; a
ternary tuple ``r(a, b, c)`` as an edge ``a -> c`` labelled ``r[b]`` (higher arities put
all middle atoms in the brackets). Everything is sorted, so the same instance always
gives the same DOT text.

>>> from fmlab.core.instance import Instance
>>> world = Instance.build({"Role": ["Admin"], "Policy": ["P0"]},
...                        {"attached": [("Admin", "P0")], "root": [("Admin",)]})
>>> source = draw_instance(world).source
>>> 'label="Admin\\n(root)"' in source, 'label=attached' in source
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from fmlab.core.instance import Instance
from fmlab.viz._render import Drawing, add_edge, add_node, choose_engine, new_drawing
from fmlab.viz._text import NaturalKey, natural_key, plain_label
from fmlab.viz._theme import HIGHLIGHT_NODE, NodeStyle, styles_for

EMPTY_LABEL = "empty instance"


def _tuple_key(atoms: tuple[str, ...]) -> tuple[NaturalKey, ...]:
    return tuple(natural_key(a) for a in atoms)


def edge_label(relation: str, atoms: tuple[str, ...]) -> str:
    """Alloy's edge label: ``r`` for a pair, ``r[b]`` or ``r[b, c]`` for longer tuples.

    >>> edge_label("owns", ("a", "b")), edge_label("r", ("a", "b", "c", "d"))
    ('owns', 'r[b, c]')
    """
    middle = atoms[1:-1]
    return f"{relation}[{', '.join(middle)}]" if middle else relation


def _atom_label(atom: str, unary: list[str], notes: Sequence[str]) -> str:
    lines = [atom]
    if unary:
        lines.append(f"({', '.join(unary)})")
    lines.extend(notes)
    return "\n".join(lines)


def draw_instance(
    instance: Instance,
    *,
    title: str | None = None,
    highlight: Iterable[str] = (),
    rankdir: str = "LR",
    legend: bool = True,
    notes: Mapping[str, Sequence[str]] | None = None,
    engine: str | None = None,
) -> Drawing:
    """Draw ``instance``; atoms in ``instance.highlight`` or ``highlight`` are bold red.

    ``title`` defaults to ``instance.title``. ``legend`` adds a box naming each
    signature in its colour and shape (useful in print and for colour-blind readers).
    ``notes`` adds extra lines of text inside atoms (``{"alice": ["age = 3"]}``).
    ``engine`` is the Graphviz layout; by default dot, or neato for large instances
    (see ``LARGE_EDGE_COUNT``, 150 edges).
    """
    owner = {atom: sig for sig, atoms in instance.atoms.items() for atom in atoms}
    emphasised = set(instance.highlight) | set(highlight)
    unknown = sorted(a for a in emphasised if a not in owner)
    if unknown:
        raise ValueError(f"highlight names atoms not in the instance: {unknown}")
    extra = notes or {}
    unknown = sorted(a for a in extra if a not in owner)
    if unknown:
        raise ValueError(f"notes name atoms not in the instance: {unknown}")
    edge_count = sum(1 for tuples in instance.relations.values() for t in tuples if len(t) > 1)
    graph = new_drawing(
        title if title is not None else instance.title,
        rankdir=rankdir,
        engine=choose_engine(engine, edge_count),
    )
    if not owner:
        add_node(graph, "empty", plain_label(EMPTY_LABEL), {"shape": "plaintext"})
        return graph

    signatures = sorted(instance.atoms, key=natural_key)
    styles = styles_for(signatures)
    ordered = [a for sig in signatures for a in sorted(instance.atoms[sig], key=natural_key)]
    node_id = {atom: f"a{i}" for i, atom in enumerate(ordered)}
    relations = sorted(instance.relations, key=natural_key)

    unary: dict[str, list[str]] = {atom: [] for atom in ordered}
    for relation in relations:
        for atoms in instance.relations[relation]:
            if len(atoms) == 1:
                unary[atoms[0]].append(relation)

    for atom in ordered:
        attrs = styles[owner[atom]].attrs()
        if atom in emphasised:
            attrs = {**attrs, **HIGHLIGHT_NODE, "style": "filled,bold"}
        add_node(
            graph,
            node_id[atom],
            plain_label(_atom_label(atom, unary[atom], extra.get(atom, ()))),
            attrs,
        )

    for relation in relations:
        for atoms in sorted(instance.relations[relation], key=_tuple_key):
            if len(atoms) >= 2:
                label = plain_label(edge_label(relation, atoms))
                add_edge(graph, node_id[atoms[0]], node_id[atoms[-1]], {"label": label})

    if legend:
        _add_legend(graph, signatures, styles)
    return graph


def _add_legend(graph: Drawing, signatures: list[str], styles: dict[str, NodeStyle]) -> None:
    with graph.subgraph(name="cluster_legend") as box:
        box.attr(label="signatures", style="dashed", color="#999999", fontsize="10")
        for i, signature in enumerate(signatures):
            add_node(box, f"sig{i}", plain_label(signature), styles[signature].attrs())
