"""The cases the AWS documentation leaves open: fmlab's reading of each, and the warning
an evaluation carries when its decision rests on one (see ``fmlab.iam._readings``)."""

from __future__ import annotations

from typing import Any

from fmlab.iam._evaluator import Decision, Evaluation, PolicySet, evaluate
from fmlab.iam._model import PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._readings import FMLAB, Readings, Undocumented
from fmlab.iam._request import Request

ALICE = "arn:aws:iam::111122223333:user/alice"
ROLE = "arn:aws:iam::111122223333:role/Deployer"
SESSION = "arn:aws:sts::111122223333:assumed-role/Deployer/build-42"
OBJECT = "arn:aws:s3:::reports/q1.csv"


def _policies(**kinds: dict[str, Any]) -> PolicySet:
    return PolicySet(
        **{
            kind: (parse_policy({"Statement": [statement]}, kind=PolicyKind(kind)),)
            for kind, statement in kinds.items()
        }
    )


def _evaluate(policies: PolicySet, principal: str, **context: str) -> Evaluation:
    request = Request.build(principal, "s3:GetObject", OBJECT, context)
    return evaluate(policies, request)


def test_for_any_value_if_exists_on_a_missing_key_is_false_and_says_so() -> None:
    # The set-operator rule (ForAnyValue is false with no values) against the IfExists
    # rule (a missing key makes the condition true): fmlab takes the first.
    condition = {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["team"]}}
    policies = _policies(
        identity={"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": condition}
    )
    missing = _evaluate(policies, ALICE)
    assert missing.decision is Decision.IMPLICIT_DENY
    (warning,) = missing.warnings
    assert warning.case is Undocumented.FOR_ANY_VALUE_IF_EXISTS
    assert warning.other == "Allow"
    assert "does not decide" in warning.message
    assert missing.to_json()["undocumented"][0]["other_reading"] == "Allow"
    # With the key present the documentation decides, and no warning is given.
    present = _evaluate(policies, ALICE, **{"aws:TagKeys": "team"})
    assert present.decision is Decision.ALLOW
    assert present.warnings == ()


def test_not_principal_naming_the_role_does_not_exclude_its_sessions() -> None:
    guard = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": ROLE},
        "Action": "s3:*",
        "Resource": "*",
    }
    allow = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
    policies = _policies(identity=allow, resource=guard)
    result = _evaluate(policies, SESSION)
    assert result.decision is Decision.EXPLICIT_DENY
    assert [(w.case, w.other) for w in result.warnings] == [
        (Undocumented.NOT_PRINCIPAL_ROLE_SESSION, "Allow")
    ]
    # A user is not a session of the role: the documented rule denies, with no warning.
    user = _evaluate(policies, ALICE)
    assert user.decision is Decision.EXPLICIT_DENY
    assert user.warnings == ()


def test_principal_anyone_is_limited_by_a_session_policy() -> None:
    anyone = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
    session = {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}
    policies = _policies(resource=anyone, session=session)
    result = _evaluate(policies, SESSION)
    assert result.decision is Decision.IMPLICIT_DENY
    assert [(w.case, w.other) for w in result.warnings] == [
        (Undocumented.ANYONE_WITH_SESSION_POLICY, "Allow")
    ]
    # Without a session policy there is nothing to limit: allowed, no warning.
    free = _evaluate(_policies(resource=anyone), SESSION)
    assert free.decision is Decision.ALLOW
    assert free.warnings == ()


def test_flipping_a_case_changes_only_that_reading() -> None:
    assert Readings() == FMLAB
    for case in Undocumented:
        flipped = FMLAB.flipped(case)
        assert flipped != FMLAB
        assert flipped.flipped(case) == FMLAB
        assert case.reading.endswith(")")
