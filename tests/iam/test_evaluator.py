"""The decision logic, one documented tricky case per test."""

from __future__ import annotations

from typing import Any

from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._model import PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request

ALICE = "arn:aws:iam::111122223333:user/alice"
ROLE = "arn:aws:iam::111122223333:role/app/Deployer"
SESSION = "arn:aws:sts::111122223333:assumed-role/Deployer/build-42"
BUCKET_OBJECT = "arn:aws:s3:::reports/2026/q1.csv"


def _policy(kind: PolicyKind, *statements: dict[str, Any]) -> Any:
    return parse_policy(
        {"Version": "2012-10-17", "Statement": list(statements)}, kind=kind, name=kind.value
    )


def _set(**kinds: list[dict[str, Any]]) -> PolicySet:
    fields: dict[str, Any] = {}
    for key, statements in kinds.items():
        kind = PolicyKind(key)
        fields[key] = (_policy(kind, *statements),)
    return PolicySet(**fields)


def _allow(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def _deny(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def _decide(
    policies: PolicySet, action: str, resource: str = "*", principal: str = ALICE, **context: Any
) -> Decision:
    request = Request.build(
        principal, action, resource, {k.replace("__", ":"): v for k, v in context.items()}
    )
    return evaluate(policies, request).decision


def test_default_is_implicit_deny() -> None:
    assert _decide(PolicySet(), "s3:GetObject") is Decision.IMPLICIT_DENY


def test_explicit_deny_overrides_allow_and_names_the_statement() -> None:
    policies = _set(identity=[_allow("s3:*"), {**_deny("s3:DeleteObject"), "Sid": "NoDelete"}])
    request = Request.build(ALICE, "s3:DeleteObject", BUCKET_OBJECT)
    result = evaluate(policies, request)
    assert result.decision is Decision.EXPLICIT_DENY
    assert [ref.sid for ref in result.statements] == ["NoDelete"]
    assert _decide(policies, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW


def test_allow_with_not_action_grants_every_other_service() -> None:
    policies = _set(identity=[{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}])
    assert _decide(policies, "ec2:TerminateInstances") is Decision.ALLOW
    assert _decide(policies, "dynamodb:DeleteTable") is Decision.ALLOW
    assert _decide(policies, "iam:CreateUser") is Decision.IMPLICIT_DENY


def test_deny_with_not_action_alone_grants_nothing() -> None:
    policies = _set(identity=[{"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"}])
    assert _decide(policies, "s3:GetObject") is Decision.IMPLICIT_DENY
    assert _decide(policies, "s3:PutObject") is Decision.EXPLICIT_DENY


def test_allow_action_and_deny_not_action_look_alike_but_differ() -> None:
    # The talk's example: "Allow s3:GetObject" and "Deny everything but s3:GetObject"
    # agree on s3:GetObject only when something else allows it.
    allow_form = _set(identity=[_allow("s3:GetObject")])
    deny_form = _set(identity=[{"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"}])
    assert _decide(allow_form, "s3:GetObject") is Decision.ALLOW
    assert _decide(deny_form, "s3:GetObject") is Decision.IMPLICIT_DENY
    with_admin = _set(
        identity=[_allow(), {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"}]
    )
    assert _decide(with_admin, "s3:GetObject") is Decision.ALLOW
    assert _decide(with_admin, "s3:PutObject") is Decision.EXPLICIT_DENY


def test_deny_with_not_resource_denies_everything_else() -> None:
    policies = _set(
        identity=[
            _allow("s3:*"),
            {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::reports/*"},
        ]
    )
    assert _decide(policies, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW
    assert _decide(policies, "s3:GetObject", "arn:aws:s3:::secrets/k") is Decision.EXPLICIT_DENY


def test_negated_operator_with_several_values_in_a_deny() -> None:
    region_fence = _deny(
        Condition={"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}
    )
    policies = _set(identity=[_allow(), region_fence])
    assert _decide(policies, "ec2:RunInstances", aws__RequestedRegion="eu-west-1") is Decision.ALLOW
    assert (
        _decide(policies, "ec2:RunInstances", aws__RequestedRegion="eu-central-1") is Decision.ALLOW
    )
    assert (
        _decide(policies, "ec2:RunInstances", aws__RequestedRegion="us-east-1")
        is Decision.EXPLICIT_DENY
    )
    # Missing key, negated operator: the condition is true, so the Deny applies.
    assert _decide(policies, "ec2:RunInstances") is Decision.EXPLICIT_DENY


def test_if_exists_on_a_missing_key() -> None:
    strict = _allow(Condition={"StringEquals": {"ec2:InstanceType": "t3.micro"}})
    lenient = _allow(Condition={"StringEqualsIfExists": {"ec2:InstanceType": "t3.micro"}})
    assert _decide(_set(identity=[strict]), "ec2:RunInstances") is Decision.IMPLICIT_DENY
    assert _decide(_set(identity=[lenient]), "ec2:RunInstances") is Decision.ALLOW
    assert (
        _decide(_set(identity=[lenient]), "ec2:RunInstances", ec2__InstanceType="m5.large")
        is Decision.IMPLICIT_DENY
    )


def test_arn_like_per_segment_in_a_statement() -> None:
    statement = _allow(
        "sns:Publish", Condition={"ArnLike": {"aws:SourceArn": "arn:aws:s3:*:111122223333:*"}}
    )
    policies = _set(identity=[statement])
    assert (
        _decide(policies, "sns:Publish", aws__SourceArn="arn:aws:s3:us-east-1:111122223333:x")
        is Decision.ALLOW
    )
    assert (
        _decide(
            policies,
            "sns:Publish",
            aws__SourceArn="arn:aws:s3:us-east-1:999999999999:a:111122223333:x",
        )
        is Decision.IMPLICIT_DENY
    )


def test_source_ip_is_absent_through_a_vpc_endpoint() -> None:
    # "Deny unless from the office range" also denies every request through a VPC
    # endpoint, which carries aws:SourceVpce instead of aws:SourceIp.
    office_only = _deny("s3:*", Condition={"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}})
    policies = _set(identity=[_allow("s3:*"), office_only])
    assert _decide(policies, "s3:GetObject", aws__SourceIp="203.0.113.5") is Decision.ALLOW
    assert _decide(policies, "s3:GetObject", aws__SourceIp="198.51.100.1") is Decision.EXPLICIT_DENY
    assert (
        _decide(policies, "s3:GetObject", aws__SourceVpce="vpce-0abc", aws__SourceVpc="vpc-1")
        is Decision.EXPLICIT_DENY
    )
    # The fix: also accept the endpoint.
    endpoint_or_office = _deny(
        "s3:*",
        Condition={
            "NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"},
            "Null": {"aws:SourceVpce": "true"},
        },
    )
    fixed = _set(identity=[_allow("s3:*"), endpoint_or_office])
    assert _decide(fixed, "s3:GetObject", aws__SourceVpce="vpce-0abc") is Decision.ALLOW
    assert _decide(fixed, "s3:GetObject", aws__SourceIp="198.51.100.1") is Decision.EXPLICIT_DENY


def _bucket_policy_naming(principal: str) -> dict[str, Any]:
    return _allow("s3:GetObject", "arn:aws:s3:::reports/*", Principal={"AWS": principal})


def test_boundary_does_not_limit_a_resource_policy_naming_the_user() -> None:
    boundary = [_allow("ec2:*")]
    policies = _set(resource=[_bucket_policy_naming(ALICE)], boundary=boundary)
    assert _decide(policies, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW


def test_boundary_limits_a_resource_policy_naming_the_role() -> None:
    boundary = [_allow("ec2:*")]
    by_role = _set(resource=[_bucket_policy_naming(ROLE)], boundary=boundary)
    assert (
        _decide(by_role, "s3:GetObject", BUCKET_OBJECT, principal=SESSION) is Decision.IMPLICIT_DENY
    )
    # Without the boundary the role ARN grants the session.
    assert _decide(
        _set(resource=[_bucket_policy_naming(ROLE)]),
        "s3:GetObject",
        BUCKET_OBJECT,
        principal=SESSION,
    ) is (Decision.ALLOW)
    # Naming the session itself is not limited by the boundary.
    by_session = _set(resource=[_bucket_policy_naming(SESSION)], boundary=boundary)
    assert _decide(by_session, "s3:GetObject", BUCKET_OBJECT, principal=SESSION) is Decision.ALLOW
    # The role ARN does not name a session of another role.
    other = "arn:aws:sts::111122223333:assumed-role/Other/s"
    assert _decide(
        _set(resource=[_bucket_policy_naming(ROLE)]), "s3:GetObject", BUCKET_OBJECT, principal=other
    ) is (Decision.IMPLICIT_DENY)


def test_session_policy_limits_identity_permissions() -> None:
    policies = _set(identity=[_allow("s3:*")], session=[_allow("s3:GetObject")])
    assert _decide(policies, "s3:GetObject", principal=SESSION) is Decision.ALLOW
    assert _decide(policies, "s3:PutObject", principal=SESSION) is Decision.IMPLICIT_DENY


def test_account_principal_delegates_to_identity_policies() -> None:
    policies = _set(resource=[_bucket_policy_naming("111122223333")])
    assert _decide(policies, "s3:GetObject", BUCKET_OBJECT) is Decision.IMPLICIT_DENY
    with_identity = _set(
        resource=[_bucket_policy_naming("111122223333")], identity=[_allow("s3:GetObject")]
    )
    assert _decide(with_identity, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW


def test_cross_account_needs_both_sides() -> None:
    other_account = {"aws:ResourceAccount": "444455556666"}
    identity_only = _set(identity=[_allow("s3:GetObject")])
    resource_only = _set(resource=[_bucket_policy_naming(ALICE)])
    both = _set(identity=[_allow("s3:GetObject")], resource=[_bucket_policy_naming(ALICE)])

    def decide(policies: PolicySet) -> Decision:
        return evaluate(
            policies, Request.build(ALICE, "s3:GetObject", BUCKET_OBJECT, other_account)
        ).decision

    assert decide(identity_only) is Decision.IMPLICIT_DENY
    assert decide(resource_only) is Decision.IMPLICIT_DENY
    assert decide(both) is Decision.ALLOW
    # In one account, either side alone is enough.
    assert _decide(identity_only, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW
    assert _decide(resource_only, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW


def test_scp_and_rcp_layers_must_allow() -> None:
    identity = [_allow()]
    assert (
        _decide(_set(identity=identity, scp=[_allow("s3:*")]), "ec2:RunInstances")
        is Decision.IMPLICIT_DENY
    )
    assert _decide(_set(identity=identity, scp=[_allow("s3:*")]), "s3:ListBucket") is Decision.ALLOW
    rcp = [_allow("sts:*", Principal="*")]
    assert _decide(_set(identity=identity, rcp=rcp), "s3:GetObject") is Decision.IMPLICIT_DENY
    assert _decide(_set(identity=identity, scp=[_deny("s3:*"), _allow()]), "s3:GetObject") is (
        Decision.EXPLICIT_DENY
    )


def test_root_user_needs_no_identity_policy_but_is_bound_by_scps() -> None:
    root = "arn:aws:iam::111122223333:root"
    assert _decide(PolicySet(), "s3:GetObject", principal=root) is Decision.ALLOW
    assert (
        _decide(_set(scp=[_allow("ec2:*")]), "s3:GetObject", principal=root)
        is Decision.IMPLICIT_DENY
    )


def test_service_principal_is_decided_by_the_resource_policy() -> None:
    statement = _allow(
        "s3:PutObject", "arn:aws:s3:::logs/*", Principal={"Service": "logging.s3.amazonaws.com"}
    )
    policies = _set(resource=[statement])
    assert _decide(
        policies, "s3:PutObject", "arn:aws:s3:::logs/a", principal="logging.s3.amazonaws.com"
    ) is (Decision.ALLOW)
    assert _decide(
        policies, "s3:PutObject", "arn:aws:s3:::logs/a", principal="other.amazonaws.com"
    ) is (Decision.IMPLICIT_DENY)


def test_not_principal_deny_exempts_only_the_named_principal() -> None:
    guard = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": [ALICE]},
        "Action": "s3:*",
        "Resource": "arn:aws:s3:::reports/*",
    }
    policies = _set(identity=[_allow("s3:*")], resource=[guard])
    assert _decide(policies, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW
    bob = "arn:aws:iam::111122223333:user/bob"
    assert _decide(policies, "s3:GetObject", BUCKET_OBJECT, principal=bob) is Decision.EXPLICIT_DENY


def test_policy_variables_in_resources() -> None:
    home = _allow("s3:*", "arn:aws:s3:::home/${aws:username}/*")
    policies = _set(identity=[home])
    assert (
        _decide(policies, "s3:GetObject", "arn:aws:s3:::home/alice/a", aws__username="alice")
        is Decision.ALLOW
    )
    assert _decide(policies, "s3:GetObject", "arn:aws:s3:::home/bob/a", aws__username="alice") is (
        Decision.IMPLICIT_DENY
    )
    assert _decide(policies, "s3:GetObject", "arn:aws:s3:::home/alice/a") is Decision.IMPLICIT_DENY
