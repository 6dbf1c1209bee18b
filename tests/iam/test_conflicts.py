"""Conflicts: overlaps with witnesses, shadowed and redundant statements in meaning."""

from __future__ import annotations

from typing import Any

from fmlab.core.result import Proved, Refuted
from fmlab.iam._catalog import Catalog
from fmlab.iam._conflicts import FindingKind, find_conflicts
from fmlab.iam._matching import statement_applies
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import parse_policy

CATALOG = Catalog.from_mapping(
    {"s3": ["GetObject", "PutObject", "ListBucket"], "ec2": ["RunInstances"]}
)


def _policy(name: str, *statements: dict[str, Any]) -> Policy:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return parse_policy(document, kind=PolicyKind.IDENTITY, name=name)


def _kinds(policies: list[Policy]) -> list[tuple[str, list[str | None]]]:
    report = find_conflicts(policies, catalog=CATALOG)
    assert not report.unknown
    return [(f.kind.value, [ref.sid for ref in f.statements]) for f in report.findings]


def test_allow_and_deny_on_the_same_object_within_a_policy() -> None:
    # The talk's first contradiction: one statement allows what another denies.
    policy = _policy(
        "p",
        {
            "Sid": "ReadReports",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::reports/*",
        },
        {
            "Sid": "NoQ1",
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::reports/q1/*",
        },
    )
    report = find_conflicts([policy], catalog=CATALOG)
    (finding,) = report.findings
    assert finding.kind is FindingKind.OVERLAP
    assert isinstance(finding.result, Refuted)
    witness = finding.witness
    assert witness is not None
    assert witness.action == "s3:GetObject"
    assert witness.resource.startswith("arn:aws:s3:::reports/q1/")
    assert all(statement_applies(s, witness, variables=True) for s in policy.statements)
    assert finding.to_json()["witness"]["action"] == "s3:GetObject"


def test_contradiction_across_policies_on_one_principal() -> None:
    grant = _policy(
        "grant", {"Sid": "Run", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
    )
    fence = _policy(
        "fence",
        {
            "Sid": "OnlyEu",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}},
        },
    )
    assert _kinds([grant, fence]) == [("allow-deny-overlap", ["Run", "OnlyEu"])]


def test_shadowed_allow_changes_no_decision() -> None:
    policy = _policy(
        "p",
        {
            "Sid": "Put",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::logs/*",
        },
        {
            "Sid": "ReadOnly",
            "Effect": "Deny",
            "NotAction": ["s3:Get*", "s3:List*"],
            "Resource": "*",
        },
    )
    report = find_conflicts([policy], catalog=CATALOG)
    (finding,) = report.findings
    assert finding.kind is FindingKind.SHADOWED
    assert isinstance(finding.result, Proved)
    assert [ref.sid for ref in finding.statements] == ["Put", "ReadOnly"]
    # The proof comes with an example request the Allow grants and the Deny blocks,
    # checked here with the concrete matcher, not the solver that found it.
    example = finding.witness
    assert example is not None
    assert finding.to_json()["witness"] == example.to_json()
    assert finding.to_json()["proved"] is True
    put, read_only = policy.statements
    assert statement_applies(put, example, variables=True)
    assert statement_applies(read_only, example, variables=True)


def test_redundant_in_meaning_not_only_identical() -> None:
    policy = _policy(
        "p",
        {
            "Sid": "One",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::reports/2026/a",
        },
        {
            "Sid": "Office",
            "Effect": "Allow",
            "Action": "s3:Get*",
            "Resource": "arn:aws:s3:::reports/*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        },
        {
            "Sid": "Broad",
            "Effect": "Allow",
            "Action": "s3:Get*",
            "Resource": "arn:aws:s3:::reports/*",
        },
    )
    assert _kinds([policy]) == [("redundant", ["One", "Broad"]), ("redundant", ["Office", "Broad"])]


def test_identical_statements_report_the_later_one() -> None:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    assert _kinds(
        [_policy("a", {**statement, "Sid": "A"}), _policy("b", {**statement, "Sid": "B"})]
    ) == [("redundant", ["B", "A"])]


def test_disjoint_statements_have_no_findings() -> None:
    policy = _policy(
        "p",
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "Action": "ec2:*", "Resource": "arn:aws:s3:::a/*"},
    )
    assert _kinds([policy]) == []
