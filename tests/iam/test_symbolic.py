"""The symbolic engine agrees with the concrete evaluator, request by request."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from fmlab.core.result import Unknown
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._request import Request
from fmlab.iam._symbolic import evaluate_symbolic
from tests.iam.strategies import policy_sets, requests


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy_sets(), requests())
def test_symbolic_and_concrete_agree(policies: PolicySet, request: Request) -> None:
    concrete = evaluate(policies, request)
    symbolic = evaluate_symbolic(policies, request)
    assert not isinstance(symbolic, Unknown), symbolic.explain()
    assert symbolic.decision is concrete.decision, (concrete.reason, request)
    if concrete.decision is Decision.EXPLICIT_DENY:
        assert set(symbolic.statements) == set(concrete.statements)


# --- ...IgnoreCase with a policy variable (case-folded twins of the string slots) -------

_ALICE = "arn:aws:iam::111122223333:user/alice"
_CONTEXTS = [
    {},
    {"aws:username": "Alice", "s3:prefix": "HOME/alice"},
    {"aws:username": "bob", "s3:prefix": "home/alice"},
    {"s3:prefix": "guest"},
    {"s3:prefix": "GUEST"},
    {"aws:username": "ALICE", "aws:PrincipalTag/Team": "Red", "s3:prefix": "x-red-alice"},
    {"aws:username": ["a", "b"], "s3:prefix": "home/a"},
    {"aws:username": "Zoë", "s3:prefix": "home/zoë"},
    {"aws:username": "Zoë", "s3:prefix": "home/ZOË"},
]


def _ignoring_case(operator: str, value: str, effect: str = "Allow") -> PolicySet:
    from fmlab.iam._parser import parse_policy

    statement = {
        "Effect": effect,
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {operator: {"s3:prefix": value}},
    }
    return PolicySet(identity=(parse_policy({"Version": "2012-10-17", "Statement": [statement]}),))


@pytest.mark.parametrize(
    "operator",
    [
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringEqualsIgnoreCaseIfExists",
        "ForAnyValue:StringEqualsIgnoreCase",
        "ForAllValues:StringNotEqualsIgnoreCase",
    ],
)
@pytest.mark.parametrize(
    "value",
    [
        "home/${aws:username}",
        "${aws:username, 'Guest'}",
        "x-${aws:PrincipalTag/Team}-${aws:username}",
    ],
)
def test_ignore_case_with_a_variable_is_decided_as_the_evaluator_does(
    operator: str, value: str
) -> None:
    # Was "unknown (unsupported)" (4.6 % of the peer scenarios). Only A-Z fold: "Ë" and
    # "ë" stay different in both engines.
    policies = _ignoring_case(operator, value)
    for context in _CONTEXTS:
        request = Request.build(_ALICE, "s3:GetObject", "arn:aws:s3:::b/k", context)
        symbolic = evaluate_symbolic(policies, request)
        assert not isinstance(symbolic, Unknown), symbolic.explain()
        assert symbolic.decision is evaluate(policies, request).decision, (operator, context)


def test_ignore_case_with_a_variable_is_compared_for_all_requests() -> None:
    from fmlab.iam._catalog import Catalog
    from fmlab.iam._compare import Relation, compare

    catalog = Catalog.from_mapping({"s3": ["GetObject", "PutObject"]})
    ignoring = _ignoring_case("StringEqualsIgnoreCase", "home/${aws:username}")
    exact = _ignoring_case("StringEquals", "home/${aws:username}")
    result = compare(ignoring, exact, catalog=catalog, timeout_ms=30_000)
    # Proved one way (every exact match also matches ignoring case), a witness the other.
    assert result.relation is Relation.MORE_PERMISSIVE, result.explain()
    witness = result.a_not_b_request()
    assert witness is not None
    assert evaluate(ignoring, witness).decision is Decision.ALLOW
    assert evaluate(exact, witness).decision is not Decision.ALLOW
