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


# --- rules the run against the independent evaluator brought up (issue 14) --------------
# Each test decides with both engines (they share no matching code path for these rules,
# and the symbolic one must not drift) and cites the documentation sentence it follows.

KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ACCOUNT_ROOT = "arn:aws:iam::111122223333:root"


def _both(policies: PolicySet, action: str, resource: str, principal: str = ALICE) -> Decision:
    from fmlab.core.result import Unknown
    from fmlab.iam._symbolic import evaluate_symbolic

    request = Request.build(principal, action, resource, {})
    concrete = evaluate(policies, request)
    symbolic = evaluate_symbolic(policies, request)
    assert not isinstance(symbolic, Unknown), symbolic.explain()
    assert symbolic.decision is concrete.decision, concrete.reason
    return concrete.decision


def _key_policy(principal: str, action: str = "kms:*") -> dict[str, Any]:
    return _allow(action, "*", Principal={"AWS": principal})


def test_an_identity_policy_alone_grants_nothing_on_a_kms_key() -> None:
    """AWS KMS Developer Guide, "Key policies": "Unless the key policy explicitly allows
    it, you cannot use IAM policies to allow access to a KMS key."
    (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html)"""
    identity = [_allow("kms:Decrypt", KEY)]
    # No key policy that enables IAM policies: implicit deny, for a user and for root.
    assert _both(_set(identity=identity), "kms:Decrypt", KEY) is Decision.IMPLICIT_DENY
    assert _both(PolicySet(), "kms:Decrypt", KEY, ACCOUNT_ROOT) is Decision.IMPLICIT_DENY
    naming_bob = _key_policy("arn:aws:iam::111122223333:user/bob")
    assert (
        _both(_set(identity=identity, resource=[naming_bob]), "kms:Decrypt", KEY)
        is Decision.IMPLICIT_DENY
    )
    # The same Allow on a bucket needs no resource policy.
    assert _both(_set(identity=[_allow("s3:GetObject")]), "s3:GetObject", BUCKET_OBJECT) is (
        Decision.ALLOW
    )


def test_a_key_policy_that_allows_the_account_enables_iam_policies() -> None:
    """Same page, "Allows access to the AWS account and enables IAM policies": a key
    policy statement whose principal is the account lets IAM policies grant access;
    it grants nothing by itself."""
    enabling = _key_policy(ACCOUNT_ROOT)
    identity = [_allow("kms:Decrypt", KEY)]
    assert _both(_set(identity=identity, resource=[enabling]), "kms:Decrypt", KEY) is (
        Decision.ALLOW
    )
    assert _both(_set(resource=[enabling]), "kms:Decrypt", KEY) is Decision.IMPLICIT_DENY
    assert _both(_set(resource=[enabling]), "kms:Decrypt", KEY, ACCOUNT_ROOT) is Decision.ALLOW


def test_a_key_policy_naming_the_user_allows_without_an_identity_policy() -> None:
    """Same page: a key policy is a resource policy; one that names the principal grants
    access on its own."""
    assert _both(_set(resource=[_key_policy(ALICE)]), "kms:Decrypt", KEY) is Decision.ALLOW


def test_deny_with_not_principal_applies_to_any_principal_with_a_boundary() -> None:
    """IAM User Guide, NotPrincipal: "a resource-based policy statement with Effect:
    Deny and NotPrincipal ... always denies an IAM principal that has a permissions
    boundary attached", even the principal the NotPrincipal names.
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)"""
    guard = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": [ALICE]},
        "Action": "s3:*",
        "Resource": "arn:aws:s3:::reports/*",
    }
    unbounded = _set(identity=[_allow("s3:*")], resource=[guard])
    assert _both(unbounded, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW
    bounded = _set(identity=[_allow("s3:*")], resource=[guard], boundary=[_allow("s3:*")])
    assert _both(bounded, "s3:GetObject", BUCKET_OBJECT) is Decision.EXPLICIT_DENY


def test_empty_lists_mean_no_policy_of_that_kind() -> None:
    """``"scp": []`` reads as "no SCP layer", not as a layer that allows nothing: AWS has
    no account with zero SCPs attached, and the documented examples written with empty
    lists meant "none" (issue 14). A layer that allows nothing has its own spelling."""
    from fmlab.iam._scenario import parse_scenario

    allow_all = {"Version": "2012-10-17", "Statement": [_allow()]}
    request = {"principal": ALICE, "action": "s3:GetObject", "resource": BUCKET_OBJECT}
    decisions = {}
    for layers in ({}, {"scp": [], "boundary": [], "rcp": [], "session": []}):
        document = {"policies": {"identity": [allow_all], **layers}, "request": request}
        scenario = parse_scenario(document)
        decisions[len(layers)] = evaluate(scenario.policies, scenario.request).decision
    assert decisions == {0: Decision.ALLOW, 4: Decision.ALLOW}
    nothing = {"Version": "2012-10-17", "Statement": []}
    document = {"policies": {"identity": [allow_all], "scp": [nothing]}, "request": request}
    scenario = parse_scenario(document)
    assert evaluate(scenario.policies, scenario.request).decision is Decision.IMPLICIT_DENY


# The independent evaluator answers these differently; the documentation sides with fmlab.


def test_a_bare_address_is_one_address_and_never_an_ipv6_one() -> None:
    """IAM User Guide, IP address condition operators: the value is an address or a
    CIDR range; a bare address is that one address (its /32)
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress)."""
    statement = _allow(Condition={"IpAddress": {"aws:SourceIp": "203.0.113.5"}})
    policies = _set(identity=[statement])
    assert _decide(policies, "s3:GetObject", aws__SourceIp="203.0.113.5") is Decision.ALLOW
    assert _decide(policies, "s3:GetObject", aws__SourceIp="203.0.113.6") is (
        Decision.IMPLICIT_DENY
    )
    assert _decide(policies, "s3:GetObject", aws__SourceIp="2001:db8::5") is (
        Decision.IMPLICIT_DENY
    )


def test_a_short_arn_in_not_resource_covers_every_arn_of_its_service() -> None:
    """IAM User Guide, Resource element: "arn:aws:sqs:*" style patterns with fewer than
    six fields are allowed, the trailing wildcard spanning the rest
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)."""
    queue = "arn:aws:sqs:us-east-1:111122223333:jobs"
    policies = _set(identity=[{"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:sqs:*"}])
    assert _both(policies, "sqs:SendMessage", queue) is Decision.IMPLICIT_DENY
    assert _both(policies, "s3:GetObject", BUCKET_OBJECT) is Decision.ALLOW


def test_not_principal_naming_only_the_account_excludes_none_of_its_users() -> None:
    """IAM User Guide, NotPrincipal: to exclude a user, name the user's ARN (and its
    account's); naming only the account excludes the account principal, not the users
    and sessions in it
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)."""
    for named in ("111122223333", ACCOUNT_ROOT):
        guard = {
            "Effect": "Deny",
            "NotPrincipal": {"AWS": named},
            "Action": "s3:*",
            "Resource": "*",
        }
        policies = _set(identity=[_allow("s3:*")], resource=[guard])
        assert _both(policies, "s3:GetObject", BUCKET_OBJECT) is Decision.EXPLICIT_DENY
        assert _both(policies, "s3:GetObject", BUCKET_OBJECT, SESSION) is Decision.EXPLICIT_DENY


def test_dates_may_be_written_as_epoch_seconds() -> None:
    """IAM User Guide, date condition operators: values in ISO 8601 or epoch (UNIX)
    time (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date)."""
    # 1767225600 is 2026-01-01T00:00:00Z.
    statement = _allow(Condition={"DateGreaterThan": {"aws:CurrentTime": "1767225600"}})
    policies = _set(identity=[statement])
    assert _decide(policies, "s3:GetObject", aws__CurrentTime="2026-03-01T00:00:00Z") is (
        Decision.ALLOW
    )
    assert _decide(policies, "s3:GetObject", aws__CurrentTime="2025-12-31T23:59:59Z") is (
        Decision.IMPLICIT_DENY
    )


def test_a_policy_variable_without_a_value_matches_nothing() -> None:
    """IAM User Guide, policy variables: when the key of a variable is not in the request
    context, the variable cannot be replaced and the element does not match (give a
    default, ${key, 'value'}, to change that)
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)."""
    statement = _allow(Condition={"StringEquals": {"s3:prefix": "${aws:username}"}})
    policies = _set(identity=[statement])
    assert _decide(policies, "s3:ListBucket", s3__prefix="alice", aws__username="alice") is (
        Decision.ALLOW
    )
    assert _decide(policies, "s3:ListBucket", s3__prefix="alice") is Decision.IMPLICIT_DENY
    assert _decide(policies, "s3:ListBucket", s3__prefix="") is Decision.IMPLICIT_DENY
    defaulted = _allow(Condition={"StringEquals": {"s3:prefix": "${aws:username, 'guest'}"}})
    assert _decide(_set(identity=[defaulted]), "s3:ListBucket", s3__prefix="guest") is (
        Decision.ALLOW
    )


def test_a_resource_policy_naming_the_session_is_not_limited_by_the_session_policy() -> None:
    """IAM User Guide, session policies: when a resource-based policy specifies the ARN
    of the session, its permissions are added to the session's, beyond the session
    policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session)."""
    naming = _bucket_policy_naming(SESSION)
    policies = _set(resource=[naming], session=[_allow("ec2:*")])
    assert _both(policies, "s3:GetObject", BUCKET_OBJECT, SESSION) is Decision.ALLOW
    by_role = _set(resource=[_bucket_policy_naming(ROLE)], session=[_allow("ec2:*")])
    assert _both(by_role, "s3:GetObject", BUCKET_OBJECT, SESSION) is Decision.IMPLICIT_DENY


def test_the_root_user_has_full_access_to_its_own_account() -> None:
    """IAM User Guide, root user: it "has complete access to all AWS services and
    resources in the account" (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html)."""
    assert _both(PolicySet(), "s3:GetObject", BUCKET_OBJECT, ACCOUNT_ROOT) is Decision.ALLOW
    other = "arn:aws:iam::444455556666:root"
    mine = "arn:aws:sqs:us-east-1:111122223333:jobs"
    assert _both(PolicySet(), "sqs:SendMessage", mine, other) is Decision.IMPLICIT_DENY


def test_a_federated_user_without_a_session_policy_has_no_permissions() -> None:
    """STS API reference, GetFederationToken: without a session policy "the resulting
    federated user session has no permissions"
    (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html)."""
    federated = "arn:aws:sts::111122223333:federated-user/carol"
    assert _both(_set(identity=[_allow()]), "s3:GetObject", BUCKET_OBJECT, federated) is (
        Decision.IMPLICIT_DENY
    )
    with_session = _set(identity=[_allow()], session=[_allow("s3:GetObject")])
    assert _both(with_session, "s3:GetObject", BUCKET_OBJECT, federated) is Decision.ALLOW
