"""Reading YAML safely: alias bombs refused quickly, messages bounded, numbers noted."""

from __future__ import annotations

import time

import pytest

from fmlab.core.errors import InputError
from fmlab.k8s._manifests import parse_manifests
from fmlab.k8s._yamlio import ScalarNotes, brief, documents


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
