"""Comparing policies: relations, witnesses, and agreement with concrete evaluation."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason
from fmlab.iam._catalog import Catalog
from fmlab.iam._compare import Relation, compare
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._model import PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request
from tests.iam.strategies import policy_sets, requests

CATALOG = Catalog.from_mapping(
    {
        "s3": ["GetObject", "PutObject", "ListBucket", "DeleteObject"],
        "iam": ["CreateUser"],
        "ec2": ["RunInstances"],
    }
)


def _identity(*statements: dict[str, Any]) -> PolicySet:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return PolicySet(identity=(parse_policy(document, kind=PolicyKind.IDENTITY),))


def test_allow_action_versus_deny_not_action() -> None:
    allow_form = _identity({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
    deny_form = _identity({"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"})
    deny_with_admin = _identity(
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
    )
    alone = compare(allow_form, deny_form, catalog=CATALOG)
    assert alone.relation is Relation.MORE_PERMISSIVE
    witness = alone.a_not_b_request()
    assert witness is not None
    assert witness.action == "s3:GetObject"
    assert compare(allow_form, deny_with_admin, catalog=CATALOG).relation is Relation.EQUIVALENT


def test_witnesses_each_way_are_replayed() -> None:
    reads = _identity({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"})
    bucket = _identity({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"})
    result = compare(reads, bucket, catalog=CATALOG)
    assert result.relation is Relation.INCOMPARABLE
    assert isinstance(result.a_not_b, Refuted)
    assert isinstance(result.b_not_a, Refuted)
    a_only, b_only = result.a_not_b.witness, result.b_not_a.witness
    assert evaluate(reads, a_only).decision is Decision.ALLOW
    assert evaluate(bucket, a_only).decision is not Decision.ALLOW
    assert evaluate(bucket, b_only).decision is Decision.ALLOW
    assert b_only.action in ("s3:PutObject", "s3:DeleteObject")
    payload = result.to_json()
    assert payload["relation"] == "incomparable"
    assert payload["a_not_b"]["action"] == a_only.action


def test_conditions_make_a_difference() -> None:
    office = _identity(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        }
    )
    narrower = _identity(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/25"}},
        }
    )
    result = compare(narrower, office, catalog=CATALOG)
    assert result.relation is Relation.LESS_PERMISSIVE
    witness = result.b_not_a_request()
    assert witness is not None
    (address,) = witness.context["aws:sourceip"]
    assert address.startswith("203.0.113.")
    assert int(address.rsplit(".", 1)[1]) >= 128


def test_a_policy_variable_beside_a_question_mark_between_stars_is_unsupported() -> None:
    home = _identity(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*/?${aws:username}/*"}
    )
    result = compare(home, home, catalog=CATALOG)
    assert result.relation is Relation.UNKNOWN
    assert isinstance(result.a_not_b, Unknown)
    assert result.a_not_b.reason is UnknownReason.UNSUPPORTED


def test_a_policy_variable_between_stars_is_compared() -> None:
    # Any bucket, any folder named after the user: within "any bucket", and not within a
    # fixed folder (the witness is replayed by the concrete evaluator).
    by_user = _identity(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*/${aws:username}/*"}
    )
    anywhere = _identity({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*"})
    assert compare(by_user, anywhere, catalog=CATALOG).relation is Relation.LESS_PERMISSIVE
    assert compare(by_user, by_user, catalog=CATALOG).relation is Relation.EQUIVALENT


def test_home_folders_by_user_name_compare_with_a_fixed_folder() -> None:
    home = _identity(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}
    )
    alice = _identity(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/alice/*"}
    )
    result = compare(home, alice, catalog=CATALOG)
    assert result.relation is Relation.INCOMPARABLE
    # Each witness was replayed by the concrete evaluator (else the result is Unknown).
    wider = result.a_not_b_request()
    assert wider is not None
    assert wider.context.get("aws:username") != ("alice",)
    narrower = result.b_not_a_request()
    assert narrower is not None
    assert narrower.resource.startswith("arn:aws:s3:::home/alice/")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy_sets(), policy_sets(), st.lists(requests(), min_size=5, max_size=5))
def test_compare_agrees_with_concrete_evaluation(
    a: PolicySet, b: PolicySet, probes: list[Request]
) -> None:
    result = compare(a, b, catalog=CATALOG)
    for direction in (result.a_not_b, result.b_not_a):
        # A witness the concrete evaluator rejects would mean the encoding is wrong.
        assert not isinstance(direction, Unknown), direction.explain()
    for request in probes:
        if request.principal.endswith(":root"):
            continue  # outside the comparison's bound: identity policies never attach to root
        allowed_a = evaluate(a, request).decision is Decision.ALLOW
        allowed_b = evaluate(b, request).decision is Decision.ALLOW
        if isinstance(result.a_not_b, Proved):
            assert not (allowed_a and not allowed_b), request
        if isinstance(result.b_not_a, Proved):
            assert not (allowed_b and not allowed_a), request
