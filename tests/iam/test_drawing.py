"""Instance drawings of IAM findings: the atoms, edges and highlights, never pixels."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from fmlab.iam._catalog import Catalog
from fmlab.iam._compare import compare
from fmlab.iam._conflicts import FindingKind, find_conflicts
from fmlab.iam._drawing import (
    comparison_instance,
    conflict_instance,
    draw_comparison,
    draw_conflict,
    draw_evaluation,
    evaluation_instance,
    request_lines,
    statement_lines,
)
from fmlab.iam._evaluator import PolicySet, applicable, evaluate
from fmlab.iam._model import Policy
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request
from tests.iam.strategies import policy_sets, requests

CATALOG = Catalog.from_mapping({"s3": ["GetObject", "PutObject", "ListBucket"], "ec2": ["Run"]})
ALICE = "arn:aws:iam::111122223333:user/alice"


def _policy(name: str, *statements: dict[str, object]) -> Policy:
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, name=name)


DEVELOPER = _policy(
    "dev",
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "NoFinance", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::r/fin/*"},
    {"Sid": "Run", "Effect": "Allow", "Action": "ec2:Run", "Resource": "*"},
)


class TestEvaluation:
    def test_deny_decides_and_is_the_only_highlight(self) -> None:
        request = Request.build(ALICE, "s3:GetObject", "arn:aws:s3:::r/fin/pay.csv")
        world = evaluation_instance(PolicySet(identity=(DEVELOPER,)), request)
        assert world.atoms["Statement"] == ("dev.Read", "dev.NoFinance", "dev.Run")
        assert world.relations["applies"] == {
            ("dev.Read", "request"),
            ("dev.NoFinance", "request"),
        }
        assert world.highlight == {"dev.NoFinance"}
        assert ("dev.NoFinance", "Deny") in world.relations["effect"]
        assert ("dev", "dev.Run") in world.relations["holds"]

    def test_allow_highlights_the_granting_statement(self) -> None:
        request = Request.build(ALICE, "s3:GetObject", "arn:aws:s3:::r/public.csv")
        world = evaluation_instance(PolicySet(identity=(DEVELOPER,)), request)
        assert world.highlight == {"dev.Read"}
        assert world.title is not None
        assert world.title.startswith("Allow")

    def test_implicit_deny_highlights_nothing(self) -> None:
        request = Request.build(ALICE, "s3:PutObject", "arn:aws:s3:::r/public.csv")
        world = evaluation_instance(PolicySet(identity=(DEVELOPER,)), request)
        assert world.highlight == frozenset()
        assert world.relations.get("applies", frozenset()) == frozenset()

    def test_a_large_policy_draws_only_the_statements_that_apply(self) -> None:
        statements = [
            {"Sid": f"S{i}", "Effect": "Allow", "Action": f"s3:Get{i}", "Resource": "*"}
            for i in range(20)
        ]
        big = _policy("big", *statements)
        world = evaluation_instance(
            PolicySet(identity=(big,)), Request.build(ALICE, "s3:Get7", "*")
        )
        assert world.atoms["Statement"] == ("big.S7",)

    def test_the_pattern_that_caught_the_action_is_named(self) -> None:
        actions = ["s3:Put*", "s3:List*", "s3:Delete*", "s3:Get*"]
        many = _policy("many", {"Effect": "Allow", "Action": actions, "Resource": "*"})
        request = Request.build(ALICE, "s3:GetObject", "*")
        source = draw_evaluation(PolicySet(identity=(many,)), request).source
        assert "+1 more" in source
        assert "s3:GetObject matches s3:Get*" in source

    def test_drawing_names_the_request_fields_and_is_deterministic(self) -> None:
        request = Request.build(ALICE, "s3:GetObject", "*", {"aws:SourceIp": "10.0.0.1"})
        policies = PolicySet(identity=(DEVELOPER,))
        source = draw_evaluation(policies, request).source
        assert "action: s3:GetObject" in source
        assert "aws:sourceip = 10.0.0.1" in source
        assert source == draw_evaluation(policies, request).source

    def test_same_policy_names_stay_distinct_atoms(self) -> None:
        one = _policy("p", {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
        two = _policy("p", {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"})
        request = Request.build(ALICE, "s3:GetObject", "*")
        world = evaluation_instance(PolicySet(identity=(one, two)), request)
        assert world.atoms["Policy"] == ("p", "p~2")
        assert world.highlight == {"p~2.#0"}


class TestConflict:
    def test_overlap_draws_both_statements_applying_to_the_witness(self) -> None:
        report = find_conflicts([DEVELOPER], catalog=CATALOG)
        overlap = next(f for f in report.findings if f.kind is FindingKind.OVERLAP)
        world = conflict_instance(overlap, [DEVELOPER])
        assert world.atoms["Request"] == ("witness",)
        assert world.relations["applies"] == {
            ("dev.Read", "witness"),
            ("dev.NoFinance", "witness"),
        }
        assert world.highlight == {"dev.Read", "dev.NoFinance"}
        assert world.title == overlap.message
        source = draw_conflict(overlap, [DEVELOPER]).source
        assert "resource: arn:aws:s3:::r/fin/" in source
        assert "rankdir=TB" in source

    def test_a_long_pattern_list_names_the_pattern_that_collides(self) -> None:
        wide = _policy(
            "wide",
            {
                "Sid": "Most",
                "Effect": "Allow",
                "Action": ["ec2:Run", "s3:List*", "s3:Put*", "s3:Get*"],
                "Resource": "*",
            },
            {"Sid": "NoGet", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"},
        )
        (overlap,) = find_conflicts([wide], catalog=CATALOG).findings
        assert overlap.witness is not None
        assert overlap.witness.action == "s3:GetObject"
        assert "s3:GetObject matches s3:Get*" in draw_conflict(overlap, [wide]).source

    def test_across_two_policies(self) -> None:
        fence = _policy(
            "fence",
            {
                "Sid": "NoEc2",
                "Effect": "Deny",
                "Action": "ec2:*",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}},
            },
        )
        report = find_conflicts([DEVELOPER, fence], catalog=CATALOG)
        finding = next(
            f for f in report.findings if {r.policy for r in f.statements} == {"dev", "fence"}
        )
        world = conflict_instance(finding, [DEVELOPER, fence])
        assert set(world.atoms["Policy"]) == {"dev", "fence"}
        assert world.relations["applies"] == {("dev.Run", "witness"), ("fence.NoEc2", "witness")}
        assert (
            "StringNotEquals aws:RequestedRegion: eu-west-1"
            in draw_conflict(finding, [DEVELOPER, fence]).source
        )

    def test_shadowed_statement_has_a_shadows_edge_and_an_example(self) -> None:
        policy = _policy(
            "p",
            {"Sid": "Get", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Sid": "NoS3", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
            {
                "Sid": "NoSecrets",
                "Effect": "Deny",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::secrets/*",
            },
        )
        report = find_conflicts([policy], catalog=CATALOG)
        (shadowed,) = [f for f in report.findings if f.kind is FindingKind.SHADOWED]
        world = conflict_instance(shadowed, [policy])
        assert world.relations["shadows"] == {("p.NoS3", "p.Get"), ("p.NoSecrets", "p.Get")}
        # One example request; only the statements that really apply to it point at it
        # (the minimised example's resource is "*", which NoSecrets does not reach).
        (example,) = world.atoms["Request"]
        assert shadowed.witness is not None
        assert shadowed.witness.resource == "*"
        assert world.relations["applies"] == {("p.Get", example), ("p.NoS3", example)}

    def test_redundant_statement_has_a_covers_edge(self) -> None:
        policy = _policy(
            "p",
            {"Sid": "Get", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        )
        report = find_conflicts([policy], catalog=CATALOG)
        (redundant,) = report.findings
        assert redundant.kind is FindingKind.REDUNDANT
        world = conflict_instance(redundant, [policy])
        assert world.relations["covers"] == {("p.All", "p.Get")}


class TestComparison:
    def test_a_witness_each_way_with_decisions_noted(self) -> None:
        read = PolicySet(
            identity=(_policy("read", {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}),)
        )
        run = PolicySet(
            identity=(_policy("run", {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}),)
        )
        comparison = compare(read, run, catalog=CATALOG)
        world = comparison_instance(comparison, read, run, names=("R", "E"))
        assert set(world.atoms["Request"]) == {"witness R not E", "witness E not R"}
        assert world.relations["applies"] == {
            ("R:read.#0", "witness R not E"),
            ("E:run.#0", "witness E not R"),
        }
        assert world.highlight == {"R:read.#0", "E:run.#0"}
        assert world.title == "R and E are incomparable"
        source = draw_comparison(comparison, read, run, names=("R", "E")).source
        assert "R: Allow" in source
        assert "E: ImplicitDeny" in source

    def test_equivalent_sets_have_no_witness(self) -> None:
        one = PolicySet(
            identity=(_policy("x", {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}),)
        )
        comparison = compare(one, one, catalog=CATALOG)
        world = comparison_instance(comparison, one, one)
        assert "Request" not in world.atoms
        assert world.title == "A and B allow the same requests"
        assert set(world.atoms["Policy"]) == {"A:x", "B:x"}


def test_long_pattern_lists_are_shortened() -> None:
    actions = [f"s3:Get{i}" for i in range(10)]
    policy = _policy(
        "p",
        {
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}},
        },
    )
    lines = statement_lines(policy.statements[0])
    assert lines == [
        "Action: s3:Get0, s3:Get1, s3:Get2 +7 more",
        "Resource: *",
        "Bool aws:SecureTransport: true",
    ]


@pytest.mark.parametrize("width", [10, 200])
def test_request_lines_shorten_long_values(width: int) -> None:
    resource = "arn:aws:s3:::" + "x" * width
    line = request_lines(Request.build(ALICE, "s3:GetObject", resource))[2]
    assert len(line) <= len("resource: ") + 64
    assert line.endswith("…") == (len(resource) > 64)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy_sets(), requests())
def test_the_drawing_follows_the_evaluator(policies: PolicySet, request: Request) -> None:
    # Every kind of policy and layer: one applies edge per applicable statement, and the
    # highlighted statements are exactly the deciding ones, all among those that apply.
    evaluation = evaluate(policies, request)
    world = evaluation_instance(policies, request, evaluation)
    applies = world.relations.get("applies", frozenset())
    assert len(applies) == len(applicable(policies, request))
    assert len(world.highlight) == len(set(evaluation.statements))
    assert world.highlight <= {statement for statement, _ in applies}
    effects = dict(world.relations["effect"]) if "effect" in world.relations else {}
    assert set(effects) == set(world.atoms.get("Statement", ()))
    assert draw_evaluation(policies, request, evaluation).source == (
        draw_evaluation(policies, request, evaluation).source
    )
