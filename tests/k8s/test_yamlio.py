"""Reading YAML safely: alias bombs refused quickly, messages bounded, numbers noted."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from fmlab.core.errors import InputError
from fmlab.k8s._manifests import parse_manifests
from fmlab.k8s._yamlio import (
    ScalarNotes,
    _compose_and_load,
    _load_plain_yaml,
    brief,
    documents,
)


def laughs(levels: int, where: str) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n" + where.replace("BOMB", f"*l{levels}") + "\n"


@pytest.mark.parametrize(
    "where",
    [
        "kind: BOMB",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec: {containers: [{name: c, resources: {requests: {cpu: BOMB}}}]}",
    ],
)
def test_a_billion_laughs_is_refused_in_well_under_two_seconds(where: str) -> None:
    text = laughs(9, where)
    assert len(text) < 1500
    started = time.process_time()
    with pytest.raises(InputError, match="aliases expand to more than") as caught:
        parse_manifests(text, source="bomb.yaml")
    assert time.process_time() - started < 2.0
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) < 300
    assert message.startswith("bomb.yaml:")


def test_an_alias_inside_itself_is_refused() -> None:
    with pytest.raises(InputError, match="refers to a node that contains it"):
        documents("a: &a [*a]\n")


def test_a_few_aliases_are_fine() -> None:
    docs = documents("base: &b {cpu: 1}\nother: *b\nthird: *b\n")
    assert docs == [{"base": {"cpu": 1}, "other": {"cpu": 1}, "third": {"cpu": 1}}]


def test_messages_never_show_a_huge_value() -> None:
    huge = "x" * 100_000
    with pytest.raises(InputError) as caught:
        parse_manifests(
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\n"
            f"spec: {{containers: [{{name: c, resources: {{requests: {{cpu: {huge}}}}}}}]}}\n"
        )
    assert len(str(caught.value)) < 300
    warned = parse_manifests(f"apiVersion: v1\nkind: {huge}\n").warnings
    assert len(warned) == 1
    assert len(warned[0]) < 200


def test_brief_names_containers_and_cuts_strings() -> None:
    assert brief({"a": 1}) == "a mapping"
    assert brief("abc") == "abc"
    assert len(brief("y" * 1000)) == 63


def test_non_string_mapping_values_are_noted_with_their_line() -> None:
    notes: ScalarNotes = {}
    docs = documents("metadata:\n  labels:\n    version: 1.10\n    app: web\n", notes=notes)
    labels = docs[0]["metadata"]["labels"]
    assert notes[id(labels)] == {"version": (3, "1.10")}


# --- the event-driven reader against the composing loader ---------------------------

_SCALARS = (
    "a: yes\nb: no\nc: on\nd: off\ne: 0o17\nf: 012\ng: 1_000\nh: 1:20\ni: .inf\nj: ~\n"
    "k: 2001-12-14t21:59:43.10-05:00\nl: 1.10\nm: '1.10'\nn: \"x\"\no: |\n  block\n  text\n"
    "p: >\n  folded\n  text\nq: [1, 'a', {r: 2}]\ns:\nt: -.5e3\nu: 0x1F\nv: +12\nw: null\n"
    "x: NULL\ny: True\nz: 2002-12-14\nnan: .NaN\nsexagesimal: 190:20:30.15\n"
)
_SAME_EITHER_WAY = [
    _SCALARS,
    "---\n---\na: 1\n...\n---\n- x\n- - y\n  - {}\n- []\n",
    "",
    "# only a comment\n",
    "plain\n",
    "1: one\n2.5: x\nnull: y\ntrue: z\n",
    "- a: 1\n  b: {c: [d, {e: f}]}\n- g\n",
    "\u00e9: \u00fcn\u00ef\n",
    "a: 1\na: 2\n",
    "a:\n  b: 1\n  b: 2\n",
    "a: [1, 2\n",
    "a: b: c\n",
]
_FULL_LOADER_ONLY = [
    ("a: &x 1\nb: *x\n", [{"a": 1, "b": 1}]),
    ("a: !!str 1\n", [{"a": "1"}]),
    ("? [a]\n: 1\n", "InputError"),  # a list as a key: unhashable, refused
    ("a: =\n", "InputError"),  # the YAML 1.1 value key, which PyYAML cannot build
    ("- &list [1]\n", [[[1]]]),
    ("<<: {a: 1}\n", "InputError"),  # merge keys: refused, located, by the strict loader
]


def _outcome(read: Any) -> tuple[str, object, object]:
    notes: ScalarNotes = {}
    try:
        value = read(notes)
    except (InputError, yaml.YAMLError) as error:
        return type(error).__name__, str(error), None
    # Notes are keyed by the id of each mapping; compare what they say.
    said = sorted(sorted(found.items()) for found in notes.values())
    return "ok", repr(value), said


@pytest.mark.parametrize("text", _SAME_EITHER_WAY)
def test_the_event_reader_agrees_with_the_composing_loader(text: str) -> None:
    fast = _outcome(lambda notes: _load_plain_yaml(text, notes))
    full = _outcome(lambda notes: list(_compose_and_load(text, notes)))
    assert fast == full


@pytest.mark.parametrize(("text", "expected"), _FULL_LOADER_ONLY)
def test_anchors_aliases_tags_and_merge_keys_go_to_the_composing_loader(
    text: str, expected: object
) -> None:
    assert _load_plain_yaml(text, None) is None
    try:
        assert documents(text) == expected
    except InputError:
        assert expected == "InputError"


@pytest.mark.parametrize("name", ["basic.yaml", "cluster-pitfall-a.yaml", "events.yaml"])
def test_the_event_reader_agrees_on_the_test_manifests(name: str) -> None:
    text = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
    fast = _outcome(lambda notes: _load_plain_yaml(text, notes))
    assert fast[0] == "ok"
    assert fast == _outcome(lambda notes: list(_compose_and_load(text, notes)))
