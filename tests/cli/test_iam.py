"""``fmlab iam`` end to end on policy files: output shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fmlab.cli.main import main

DATA = Path(__file__).parents[1] / "iam" / "data"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["iam", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code, out, _ = _run(capsys, *argv, "--json")
    return code, json.loads(out)


def test_evaluate_vpc_endpoint_request_is_denied_by_the_office_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for engine in ("concrete", "symbolic"):
        code, payload = _json(
            capsys, "evaluate", str(DATA / "scenario-vpce.json"), "--engine", engine
        )
        assert code == 0
        assert payload["decision"] == "ExplicitDeny"
        statements = payload["statements"]
        assert isinstance(statements, list)
        assert [s["sid"] for s in statements] == ["OfficeOnly"]


def test_evaluate_cross_account_and_boundary(capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = _json(capsys, "evaluate", str(DATA / "scenario-cross-account.json"))
    assert code == 0
    assert payload["decision"] == "Allow"
    code, payload = _json(
        capsys, "evaluate", str(DATA / "scenario-boundary-role.json"), "--engine", "symbolic"
    )
    assert code == 0
    assert payload["decision"] == "ImplicitDeny"
    code, out, _ = _run(capsys, "evaluate", str(DATA / "scenario-boundary-role.json"))
    assert out.startswith("ImplicitDeny: the permissions boundary does not allow")


def test_compare_relations_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = _json(
        capsys, "compare", str(DATA / "allow-get.json"), str(DATA / "deny-not-get.json")
    )
    assert (code, payload["relation"], payload["a_not_b"], payload["b_not_a"]) == (
        0,
        "equivalent",
        None,
        None,
    )
    code, payload = _json(
        capsys, "compare", str(DATA / "read-only-s3.json"), str(DATA / "allow-get.json")
    )
    assert code == 1
    assert payload["relation"] == "more-permissive"
    witness = payload["a_not_b"]
    assert isinstance(witness, dict)
    assert str(witness["action"]).startswith(("s3:Get", "s3:List"))
    assert witness["action"] != "s3:GetObject"
    assert payload["b_not_a"] is None


def test_conflicts_finds_the_contradictions_with_witnesses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = [str(DATA / "developer.json"), str(DATA / "region-fence.json")]
    code, payload = _json(capsys, "conflicts", *files)
    assert code == 1
    findings = payload["findings"]
    assert isinstance(findings, list)
    pairs = {tuple(s["sid"] for s in f["statements"]) for f in findings}
    assert pairs == {
        ("ReadReports", "NoFinance"),
        ("ReadReports", "OnlyEurope"),
        ("RunSmallInstances", "OnlyEurope"),
    }
    assert all(f["witness"] is not None for f in findings)
    code, out, _ = _run(capsys, "conflicts", *files, "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"allow-deny-overlap"}
    assert code == 1


def test_conflicts_clean_policy_and_catalog_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "conflicts", str(DATA / "typo.json"))
    assert code == 0
    assert 'warning: typo.json: /Statement/Action: unknown action "s3:GetObjects"' in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["conflicts", "bad-effect.json"],
            'bad-effect.json: /Statement/1/Effect: expected "Allow" or "Deny", got "allow"',
        ),
        (["conflicts", "duplicate-key.json"], 'duplicate-key.json: /: duplicate key "Version"'),
        (["evaluate", "missing.json"], "missing.json: no such file"),
        (["compare", "allow-get.json", "bad-effect.json"], "/Statement/1/Effect"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    argv = [argv[0], *(str(DATA / a) for a in argv[1:])]
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_bad_scenario_points_into_the_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(
        json.dumps(
            {
                "policies": {
                    "identity": [
                        {"Statement": {"Effect": "Allow", "Action": "s3", "Resource": "*"}}
                    ]
                },
                "request": {"principal": "p", "action": "s3:GetObject", "resource": "*"},
            }
        )
    )
    code, _, err = _run(capsys, "evaluate", str(scenario))
    assert code == 2
    assert "/policies/identity/0/Statement/Action: expected" in err


def test_evaluate_warns_about_a_request_aws_never_sends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = {
        "policies": {"identity": [str(DATA / "allow-get.json")]},
        "request": {
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:ListBucket",
            "resource": "arn:aws:s3:::reports/q1.csv",
        },
    }
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    code, out, _ = _run(capsys, "evaluate", str(path))
    assert code == 0  # a warning, not an error: the evaluation still runs
    assert "warning: /request/resource: s3:ListBucket cannot act on" in out
    code, payload = _json(capsys, "evaluate", str(path))
    assert payload["warnings"] == [
        {
            "pointer": "/request/resource",
            "message": 's3:ListBucket cannot act on "arn:aws:s3:::reports/q1.csv": '
            "it applies to accesspoint, bucket",
        }
    ]


def test_a_shadowed_allow_is_shown_with_an_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "Get", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                    {"Sid": "NoS3", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
                ],
            }
        ),
        encoding="utf-8",
    )
    code, out, _err = _run(capsys, "conflicts", str(policy))
    assert code == 1
    assert "shadowed: " in out
    assert "  example (replayed):\n    {\n" in out
    code, payload = _json(capsys, "conflicts", str(policy))
    findings = payload["findings"]
    assert isinstance(findings, list)
    shadowed = [f for f in findings if f["kind"] == "shadowed"]
    assert shadowed
    assert shadowed[0]["witness"]["action"].lower() == "s3:getobject"
    assert shadowed[0]["proved"] is True
