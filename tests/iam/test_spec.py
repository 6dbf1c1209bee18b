"""Access specifications: the JSON form, its expansion into requests, located errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fmlab.core.errors import InputError
from fmlab.iam._catalog import Catalog
from fmlab.iam._spec import DEFAULT_PRINCIPAL, AccessSpec, Candidates, load_spec, parse_spec

CATALOG = Catalog.from_mapping(
    {"s3": ["GetObject", "GetObjectAcl", "PutObject", "ListBucket"], "iam": ["ListUsers"]}
)
ALICE = "arn:aws:iam::111122223333:user/alice"


def test_entries_expand_to_every_action_and_resource_pair() -> None:
    spec = parse_spec(
        {
            "principal": ALICE,
            "allow": [
                {
                    "action": ["s3:GetObject", "s3:GetObjectAcl"],
                    "resource": ["arn:aws:s3:::r/j", "arn:aws:s3:::r/k"],
                }
            ],
            "deny": [{"action": "s3:Put*", "resource": "arn:aws:s3:::r/k"}],
        },
        catalog=CATALOG,
    )
    assert [(r.action, r.resource) for r in spec.allow] == [
        ("s3:GetObject", "arn:aws:s3:::r/j"),
        ("s3:GetObject", "arn:aws:s3:::r/k"),
        ("s3:GetObjectAcl", "arn:aws:s3:::r/j"),
        ("s3:GetObjectAcl", "arn:aws:s3:::r/k"),
    ]
    assert [r.action for r in spec.deny] == ["s3:PutObject"]
    assert {r.principal for r, _ in spec.requests()} == {ALICE}
    assert [must for _, must in spec.requests()] == [True] * 4 + [False]


def test_an_action_pattern_stands_for_the_catalog_actions_it_matches() -> None:
    spec = parse_spec({"allow": [{"action": "s3:get*", "resource": "*"}]}, catalog=CATALOG)
    assert sorted(r.action for r in spec.allow) == ["s3:GetObject", "s3:GetObjectAcl"]
    assert spec.allow[0].principal == DEFAULT_PRINCIPAL


def test_entry_principal_context_and_candidates() -> None:
    spec = parse_spec(
        {
            "allow": [
                {
                    "action": "iam:ListUsers",
                    "resource": "*",
                    "principal": "arn:aws:iam::111122223333:root",
                    "context": {"aws:SourceIp": "203.0.113.7", "aws:MultiFactorAuthPresent": True},
                }
            ],
            "candidates": {"actions": ["s3:Get*"], "resources": "arn:aws:s3:::r*", "derive": False},
        },
        catalog=CATALOG,
    )
    [request] = spec.allow
    assert request.principal == "arn:aws:iam::111122223333:root"
    assert request.value("aws:multifactorauthpresent") == ("true",)
    assert spec.candidates == Candidates(("s3:Get*",), ("arn:aws:s3:::r*",), False)


def test_build_and_to_json() -> None:
    spec = AccessSpec.build([("s3:GetObject", "*")], [("s3:PutObject", "*")], principal=ALICE)
    assert spec.to_json()["deny"][0]["action"] == "s3:PutObject"
    assert spec.to_json()["allow"][0]["principal"] == ALICE


BAD: list[tuple[Any, str]] = [
    ([], '/: expected an object with an "allow" list'),
    ({"alow": []}, '/alow: unknown field "alow"'),
    ({"deny": []}, '/: missing "allow"'),
    ({"allow": {}}, "/allow: expected a list of request entries"),
    ({"allow": [[]]}, "/allow/0: expected an object with action and resource"),
    ({"allow": [{"action": "s3:GetObject"}]}, '/allow/0: missing "resource"'),
    ({"allow": [{"action": "s3:GetObject", "resource": "*", "x": 1}]}, "/allow/0/x: unknown"),
    ({"allow": [{"action": 3, "resource": "*"}]}, "/allow/0/action: expected a non-empty string"),
    ({"allow": [{"action": [], "resource": "*"}]}, "/allow/0/action: expected a non-empty list"),
    ({"allow": [{"action": "GetObject", "resource": "*"}]}, '/allow/0/action: expected "service'),
    (
        {"allow": [{"action": ["s3:GetObject", "s3:GetObjects"], "resource": "*"}]},
        '/allow/0/action/1: "s3:GetObjects" is not a catalog action',
    ),
    ({"allow": [{"action": "s3:Delete*", "resource": "*"}]}, '/allow/0/action: "s3:Delete*" '),
    (
        {"allow": [{"action": "s3:GetObject", "resource": ["arn:aws:s3:::a", "arn:aws:s3:::b/*"]}]},
        "/allow/0/resource/1: ",
    ),
    (
        {"allow": [{"action": "s3:GetObject", "resource": "*", "context": {"k": {}}}]},
        "/allow/0/context/k: expected a string",
    ),
    ({"allow": [], "principal": ""}, "/principal: expected a non-empty string"),
    ({"allow": [], "deny": []}, "/allow: the specification names no request"),
    ({"allow": [], "deny": [{"action": "s3:GetObject"}]}, '/deny/0: missing "resource"'),
    ({"allow": [], "candidates": []}, "/candidates: expected an object"),
    ({"allow": [], "candidates": {"derive": "no"}}, "/candidates/derive: expected true or false"),
    ({"allow": [], "candidates": {"action": []}}, "/candidates/action: unknown candidates field"),
    ({"allow": [], "candidates": {"actions": ["Get"]}}, "/candidates/actions/0: expected"),
]


@pytest.mark.parametrize(("document", "expected"), BAD)
def test_bad_specs_name_the_json_pointer(document: Any, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_spec(document, source="spec.json", catalog=CATALOG)
    text = str(caught.value)
    assert text.startswith("spec.json: " + expected), text
    assert "\n" not in text


def test_load_spec_reads_a_file_and_rejects_duplicate_keys(tmp_path: Path) -> None:
    good = tmp_path / "readers.json"
    good.write_text(json.dumps({"allow": [{"action": "s3:GetObject", "resource": "*"}]}))
    assert load_spec(str(good), catalog=CATALOG).name == "readers"
    duplicate = tmp_path / "dup.json"
    duplicate.write_text('{"allow": [], "allow": []}')
    with pytest.raises(InputError, match='duplicate key "allow"'):
        load_spec(str(duplicate), catalog=CATALOG)
    with pytest.raises(InputError, match="no such file"):
        load_spec(str(tmp_path / "absent.json"), catalog=CATALOG)
