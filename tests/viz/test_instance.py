from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from fmlab.core.instance import Instance
from fmlab.viz import draw_instance, to_svg
from fmlab.viz._instance import EMPTY_LABEL, edge_label
from fmlab.viz._theme import ALERT

NodeTexts = Callable[[str], dict[str, list[str]]]


def _iam_world() -> Instance:
    return Instance.build(
        {"Role": ["Admin", "Dev"], "Policy": ["P10", "P2"]},
        {
            "attached": [("Admin", "P2"), ("Dev", "P10")],
            "root": [("Admin",)],
            "active": [("Admin",), ("Dev",)],
            "grants": [("Admin", "P2", "Dev")],
        },
    )


def test_unary_relations_are_listed_inside_the_atom() -> None:
    source = draw_instance(_iam_world()).source
    assert 'label="Admin\\n(active, root)"' in source
    assert 'label="Dev\\n(active)"' in source


def test_binary_relation_is_an_edge_labelled_with_its_name() -> None:
    source = draw_instance(_iam_world(), legend=False).source
    assert source.count("[label=attached]") == 2


def test_ternary_tuple_is_an_edge_from_first_to_last_labelled_with_the_middle() -> None:
    world = _iam_world()
    graph = draw_instance(world, legend=False)
    lines = [line.strip() for line in graph.source.splitlines()]
    admin = next(line.split()[0] for line in lines if 'label="Admin' in line)
    dev = next(line.split()[0] for line in lines if 'label="Dev' in line)
    assert f'{admin} -> {dev} [label="grants[P2]"]' in lines


def test_longer_tuples_put_every_middle_atom_in_brackets() -> None:
    world = Instance.build({"A": ["a", "b", "c", "d"]}, {"r": [("a", "b", "c", "d")]})
    assert 'label="r[b, c]"' in draw_instance(world).source
    assert edge_label("r", ("x", "y")) == "r"


def test_same_instance_gives_identical_dot_whatever_the_input_order() -> None:
    one = Instance.build(
        {"S": ["s2", "s10", "s1"], "T": ["t"]}, {"r": [("s1", "t"), ("s10", "t"), ("s2", "t")]}
    )
    two = Instance.build(
        {"T": ["t"], "S": ["s1", "s10", "s2"]}, {"r": [("s2", "t"), ("s1", "t"), ("s10", "t")]}
    )
    assert draw_instance(one).source == draw_instance(two).source


def test_dot_is_identical_across_hash_seeds() -> None:
    # Relations are frozensets, whose iteration order changes with PYTHONHASHSEED.
    program = (
        "from fmlab.core.instance import Instance; from fmlab.viz import draw_instance;"
        "names = [f'atom{i}' for i in range(30)];"
        "w = Instance.build({'A': set(names)}, {'r': {(a, b) for a in names[:6] for b in names},"
        " 'u': {(a,) for a in names[::3]}}, highlight={'atom3', 'atom7'});"
        "print(draw_instance(w).source)"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_signatures_get_distinct_styles_and_a_legend() -> None:
    source = draw_instance(_iam_world()).source
    policy = next(line for line in source.splitlines() if "label=P2 " in line)
    role = next(line for line in source.splitlines() if 'label="Dev' in line)
    assert policy.split("fillcolor=")[1].split()[0] != role.split("fillcolor=")[1].split()[0]
    assert "cluster_legend" in source
    assert "cluster_legend" not in draw_instance(_iam_world(), legend=False).source


def test_highlight_from_instance_and_argument_is_bold_red() -> None:
    world = Instance.build({"A": ["x", "y", "z"]}, highlight=["x"])
    lines = draw_instance(world, highlight=["y"]).source.splitlines()
    for name, expected in (("x", True), ("y", True), ("z", False)):
        line = next(line for line in lines if f"label={name} " in line)
        assert (ALERT in line and "bold" in line) is expected, line


def test_highlighting_an_unknown_atom_is_an_error() -> None:
    with pytest.raises(ValueError, match="ghost"):
        draw_instance(_iam_world(), highlight=["ghost"])


def test_bad_rankdir_is_an_error() -> None:
    with pytest.raises(ValueError, match="rankdir"):
        draw_instance(_iam_world(), rankdir="sideways")


def test_title_defaults_to_the_instance_title() -> None:
    world = Instance.build({"A": ["a"]}, title="反例 #1")
    assert 'label="反例 #1"' in draw_instance(world).source
    assert "label=other" in draw_instance(world, title="other").source


def test_empty_instance_says_so(svg_texts: Callable[[str], list[str]]) -> None:
    for world in (Instance.build({}), Instance.build({"A": []})):
        assert EMPTY_LABEL in svg_texts(to_svg(draw_instance(world)))


def test_awkward_names_survive_into_the_svg(node_texts: NodeTexts) -> None:
    names = ['say "hi"', "<b>bold</b>", "back\\slash\\n", "日本語のアトム", "a:b", "node", "&amp;"]
    world = Instance.build(
        {"署名": names[:4], "Sig<2>": names[4:]},
        {"関係": [(names[0], names[1])], "r\"'": [(names[2], names[3], names[4])]},
    )
    texts = node_texts(to_svg(draw_instance(world)))
    first_lines = {lines[0] for lines in texts.values()}
    assert set(names) <= first_lines
    assert {"署名", "Sig<2>"} <= first_lines  # the legend
    svg = to_svg(draw_instance(world))
    assert "関係" in svg
    assert "r&quot;&#39;[日本語のアトム]" in svg or "r\"'[日本語のアトム]" in svg


# Names dot can carry verbatim (the escaper rewrites controls and unassigned code points),
# mixed with fragments that DOT, HTML or Graphviz escapes would misread.
_tricky = st.sampled_from(["&amp;", "&#60;", "<b>", ">", '"', "\\", "\\N", "\\l", "{|}", "東京"])
_names = (
    st.lists(
        st.one_of(
            _tricky, st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")), max_size=3)
        ),
        min_size=1,
        max_size=3,
    )
    .map("".join)
    .filter(lambda s: s.strip() == s and s.strip() != "")
)


@st.composite
def _instances(draw: st.DrawFn) -> Instance:
    names = draw(st.lists(_names, min_size=0, max_size=6, unique=True))
    signatures = draw(st.lists(_names, min_size=1, max_size=3, unique=True))
    atoms: dict[str, list[str]] = {sig: [] for sig in signatures}
    for name in names:
        atoms[draw(st.sampled_from(signatures))].append(name)
    relations: dict[str, list[tuple[str, ...]]] = {}
    if names:
        for relation in draw(st.lists(_names, max_size=3, unique=True)):
            arity = draw(st.integers(1, 3))
            tuples = st.tuples(*[st.sampled_from(names)] * arity)
            relations[relation] = draw(st.lists(tuples, max_size=4))
    highlight = draw(st.lists(st.sampled_from(names), max_size=2)) if names else []
    return Instance.build(atoms, relations, highlight=highlight)


def _squash(text: str) -> str:
    # dot writes runs of spaces as no-break spaces; compare words, not spacing.
    return " ".join(text.split())


# The fixture only hands over a pure function, so sharing it across examples is safe.
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(world=_instances())
def test_every_atom_name_is_drawn(world: Instance, node_texts: NodeTexts) -> None:
    texts = node_texts(to_svg(draw_instance(world)))
    first_lines = {_squash(lines[0]) for lines in texts.values() if lines}
    assert {_squash(atom) for atom in world.all_atoms()} <= first_lines
