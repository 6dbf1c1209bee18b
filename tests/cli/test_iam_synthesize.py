"""``fmlab iam synthesize`` end to end: policies found, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import fmlab.iam._synthesis as synthesis_module
from fmlab.cli.main import main
from fmlab.core import Outcome, Satisfiability
from fmlab.iam import Decision, PolicySet, Request, evaluate, parse_policy

ALICE = "arn:aws:iam::111122223333:user/alice"
SPEC: dict[str, Any] = {
    "description": "read the reports, write nothing",
    "principal": ALICE,
    "allow": [
        {"action": "s3:GetObject", "resource": "arn:aws:s3:::reports/q1.csv"},
        {"action": "s3:ListBucket", "resource": "arn:aws:s3:::reports"},
    ],
    "deny": [
        {"action": "s3:PutObject", "resource": "arn:aws:s3:::reports/q1.csv"},
        {"action": "iam:CreateUser", "resource": "arn:aws:iam::111122223333:user/eve"},
    ],
}


def _write(tmp_path: Path, document: Any, name: str = "spec.json") -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["iam", "synthesize", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("form", ["allow-action", "deny-notaction", "any"])
def test_found_policies_are_printed_as_policy_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    code, out, _ = _run(
        capsys, _write(tmp_path, SPEC), "--form", form, "--solutions", "2", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["status"] == "found"
    assert payload["minimal"]["verdict"] == "proved"
    assert 1 <= len(payload["policies"]) <= 2
    for document in payload["policies"]:
        policies = PolicySet(identity=(parse_policy(document),))
        get = Request.build(ALICE, "s3:GetObject", "arn:aws:s3:::reports/q1.csv")
        put = Request.build(ALICE, "s3:PutObject", "arn:aws:s3:::reports/q1.csv")
        assert evaluate(policies, get).decision is Decision.ALLOW
        assert evaluate(policies, put).decision is not Decision.ALLOW
    if form == "deny-notaction":
        first = payload["policies"][0]["Statement"]
        assert first[0] == {"Effect": "Allow", "Action": "*", "Resource": "*"}
        assert all("NotAction" in s for s in first[1:])


def test_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SPEC)
    code, out, _ = _run(capsys, path, "--form", "allow-action", "--objective", "smallest")
    assert code == 0
    assert out.startswith("found (allow-action): 1 policy of 1 statement")
    assert "objective: smallest" in out
    assert "minimal: proved" in out
    assert '"Version": "2012-10-17"' in out


def test_least_privilege_is_the_default_for_the_allow_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = _run(capsys, _write(tmp_path, SPEC), "--form", "allow-action", "--json")[:2]
    assert code == 0
    result = json.loads(payload)
    assert result["objective"] == "least-privilege"
    # One statement per action, each on exactly its listed resource: nothing else granted.
    statements = result["policies"][0]["Statement"]
    assert sorted((s["Action"], s["Resource"]) for s in statements) == [
        ("s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
        ("s3:ListBucket", "arn:aws:s3:::reports"),
    ]


def test_the_excess_is_printed_in_text_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, SPEC)
    # The smallest Allow form names the two actions on more than the two listed ARNs;
    # written by hand from its policy: GetObject is granted on the bucket ARN, at least.
    code, out, _ = _run(capsys, path, "--form", "allow-action", "--objective", "smallest")
    assert code == 0
    assert "policy 1 grants " in out
    assert "beyond the allow list" in out
    assert "resource groups per action: " in out
    assert all(len(line) <= 90 for line in out.splitlines() if not line.startswith(" " * 4 + '"'))
    code, out, _ = _run(capsys, path, "--form", "allow-action", "--objective", "smallest", "--json")
    payload = json.loads(out)
    [report] = payload["excess"]
    assert report["request_groups"] >= 1
    assert set(report["per_action"]) <= {"s3:GetObject", "s3:ListBucket"}
    example = report["examples"][0]
    policies = PolicySet(identity=(parse_policy(payload["policies"][0]),))
    request = Request.build(ALICE, example["action"], example["resource"])
    assert evaluate(policies, request).decision is Decision.ALLOW  # a real excess
    assert (example["action"], example["resource"]) not in {
        (a["action"], a["resource"]) for a in SPEC["allow"]
    }
    # Least privilege (the default) grants nothing beyond the list, and says so.
    code, out, _ = _run(capsys, path, "--form", "allow-action")
    assert "policy 1 grants nothing beyond the allow list" in out
    code, out, _ = _run(capsys, path, "--form", "allow-action", "--json")
    assert json.loads(out)["excess"][0]["request_groups"] == 0


def test_infeasible_exits_1_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    both = {**SPEC, "deny": [{"action": "s3:ListBucket", "resource": "arn:aws:s3:::reports"}]}
    code, out, _ = _run(capsys, _write(tmp_path, both), "--json")
    assert code == 1
    payload = json.loads(out)
    assert payload["status"] == "infeasible"
    assert payload["policies"] == []
    assert "must be both allowed and denied" in payload["explanation"]
    assert payload["unseparated"][0]["action"] == "s3:ListBucket"


def test_too_few_statements_is_infeasible_within_the_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys, _write(tmp_path, SPEC), "--form", "deny-notaction", "--max-statements", "1"
    )
    assert code == 1
    assert out.startswith("infeasible (deny-notaction): no policy of at most 1 statement ")


def test_unknown_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def times_out(*_args: Any, **_kwargs: Any) -> Outcome:
        return Outcome(Satisfiability.UNKNOWN, None, "timeout", 0.01)

    monkeypatch.setattr(synthesis_module, "solve", times_out)
    code, out, _ = _run(capsys, _write(tmp_path, SPEC), "--json", "--timeout", "0.5")
    assert code == 3
    assert json.loads(out)["answer"]["verdict"] == "unknown"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{", "invalid JSON"),
        ('{"allow": [], "allow": []}', '/: duplicate key "allow"'),
        ({"allow": [{"action": "s3:GetObjects", "resource": "*"}]}, "/allow/0/action: "),
        ({"allow": [{"action": "s3:GetObject", "resource": "arn:aws:s3:::r/*"}]}, "/allow/0/"),
        ({"allow": [{"action": "s3:GetObject"}]}, '/allow/0: missing "resource"'),
        ({"allow": [], "deny": "x"}, "/deny: expected a list"),
    ],
)
def test_bad_specs_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any, expected: str
) -> None:
    path = _write(tmp_path, document)
    code, out, err = _run(capsys, path)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert path in err
    assert expected in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--form", "allow"],
        ["--max-statements", "0"],
        ["--max-statements", "x"],
        ["--solutions", "0"],
        ["--timeout", "-1"],
    ],
)
def test_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["iam", "synthesize", _write(tmp_path, SPEC), *argv])
    assert caught.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, str(tmp_path / "absent.json"))
    assert code == 2
    assert "no such file" in err


def test_both_forms_from_one_spec_file(capsys: pytest.CaptureFixture[str]) -> None:
    spec = str(Path(__file__).parents[1] / "iam" / "data" / "spec-readers.json")
    forms = {}
    for form in ("allow-action", "deny-notaction"):
        code, out, _ = _run(capsys, spec, "--form", form, "--json")
        assert code == 0
        forms[form] = json.loads(out)["policies"][0]["Statement"]
    assert {s["Effect"] for s in forms["allow-action"]} == {"Allow"}
    assert forms["deny-notaction"][0] == {"Effect": "Allow", "Action": "*", "Resource": "*"}
    assert {s["Effect"] for s in forms["deny-notaction"][1:]} == {"Deny"}


def test_a_request_aws_never_sends_is_bad_input_naming_its_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The service reference: s3:GetObject acts on objects, never on a bucket ARN.
    wrong = {**SPEC, "deny": [{"action": "s3:GetObject", "resource": "arn:aws:s3:::reports"}]}
    code, out, err = _run(capsys, _write(tmp_path, wrong))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "/deny/0/resource" in err
    assert 'cannot act on "arn:aws:s3:::reports"' in err


def test_an_unsupported_condition_key_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyed = {
        **SPEC,
        "deny": [
            {
                "action": "s3:PutObject",
                "resource": "arn:aws:s3:::reports/q1.csv",
                "context": {"s3:prefix": "x"},
            }
        ],
    }
    code, out = _run(capsys, _write(tmp_path, keyed), "--json")[:2]
    assert code == 0
    warnings = json.loads(out)["warnings"]
    assert warnings == [
        {
            "pointer": "/deny/0/context/s3:prefix",
            "message": 's3:PutObject does not carry the condition key "s3:prefix"',
        }
    ]
