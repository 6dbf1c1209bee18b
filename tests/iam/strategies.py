"""Hypothesis strategies for policies and requests drawn from one small vocabulary.

The vocabulary is chosen so that random statements and requests often interact: the
same actions, ARNs, principals and context keys appear on both sides, with values on
either side of every boundary (CIDR edges, equal dates, wildcard near-misses).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from fmlab.iam._evaluator import PolicySet
from fmlab.iam._model import PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request

ALICE = "arn:aws:iam::111122223333:user/alice"
ROLE = "arn:aws:iam::111122223333:role/ops/Deployer"
SESSION = "arn:aws:sts::111122223333:assumed-role/Deployer/build"
PRINCIPALS = [
    ALICE,
    SESSION,
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::444455556666:user/bob",
    "arn:aws:sts::111122223333:federated-user/fed",
    "logs.amazonaws.com",
]
PRINCIPAL_ELEMENTS: list[Any] = [
    "*",
    {"AWS": ALICE},
    {"AWS": ROLE},
    {"AWS": "111122223333"},
    {"AWS": "arn:aws:iam::444455556666:root"},
    {"Service": "logs.amazonaws.com"},
    {"AWS": [SESSION, "arn:aws:iam::444455556666:user/bob"]},
]
ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "iam:CreateUser",
    "ec2:RunInstances",
    "S3:getobject",
]
ACTION_PATTERNS = [
    "*",
    "s3:*",
    "s3:Get*",
    "s3:?utObject",
    "iam:*",
    "ec2:Run*",
    "s3:GetObject",
    "sts:*",
]
RESOURCE_PATTERNS = [
    "*",
    "arn:aws:s3:::reports/*",
    "arn:aws:s3:::reports",
    "arn:aws:s3:::*/secret*",
    "arn:aws:iam::111122223333:user/*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:sqs:*",
]
RESOURCES = [
    "arn:aws:s3:::reports/a.csv",
    "arn:aws:s3:::reports",
    "arn:aws:s3:::x/secret1",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:ec2:us-east-1:444455556666:instance/i-1",
    "arn:aws:sqs:us-east-1:111122223333:q",
    "*",
]
# key -> (operators, policy values, request values)
CONDITIONS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "aws:username": (
        [
            "StringEquals",
            "StringNotEquals",
            "StringLike",
            "StringNotLike",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringEqualsIfExists",
            "StringNotLikeIfExists",
        ],
        ["alice", "bob", "al*", "A?ICE"],
        ["alice", "bob", "ALICE", "carol", "al"],
    ),
    "s3:max-keys": (
        [
            "NumericLessThan",
            "NumericGreaterThanEquals",
            "NumericNotEquals",
            "NumericEquals",
            "NumericLessThanEqualsIfExists",
        ],
        ["10", "2.5"],
        ["1", "10", "2.5", "100", "2.50"],
    ),
    "aws:CurrentTime": (
        ["DateLessThan", "DateGreaterThan", "DateEquals", "DateNotEquals"],
        ["2026-01-01T00:00:00Z", "1767225600"],
        ["2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "1767225601"],
    ),
    "aws:SecureTransport": (["Bool", "BoolIfExists"], ["true", "false"], ["true", "false", "TRUE"]),
    "aws:SourceIp": (
        ["IpAddress", "NotIpAddress", "IpAddressIfExists"],
        ["10.0.0.0/8", "203.0.113.7", "2001:db8::/32"],
        ["10.1.2.3", "203.0.113.7", "192.0.2.1", "2001:db8::5", "::1", "11.0.0.0"],
    ),
    "aws:SourceArn": (
        ["ArnLike", "ArnNotLike", "ArnEquals"],
        ["arn:aws:s3:*:111122223333:*", "arn:aws:sns:us-east-1:*:topic"],
        [
            "arn:aws:s3:us-east-1:111122223333:b",
            "arn:aws:s3:us-east-1:999:x:111122223333:y",
            "arn:aws:sns:us-east-1:1:topic",
        ],
    ),
    "aws:SourceVpce": (["Null", "StringEquals"], ["true", "false"], ["vpce-1", "true"]),
    "aws:TagKeys": (
        [
            "ForAllValues:StringEquals",
            "ForAnyValue:StringLike",
            "ForAllValues:StringNotEquals",
            "ForAnyValue:StringNotLike",
            "StringEquals",
        ],
        ["a", "b", "c*"],
        ["a", "b", "c1", "z"],
    ),
    "aws:ResourceAccount": (
        ["StringEquals", "StringNotEquals"],
        ["111122223333"],
        ["111122223333", "444455556666"],
    ),
}


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, Any]:
    block: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(sorted(CONDITIONS)))
        operators, values, _requests = CONDITIONS[key]
        operator = draw(st.sampled_from(operators))
        if operator == "Null":
            chosen: Any = draw(st.sampled_from(["true", "false"]))
        else:
            chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
        block.setdefault(operator, {})[key] = chosen
    return block


@st.composite
def statements(draw: st.DrawFn, *, with_principal: bool) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    actions = draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=2))
    statement["NotAction" if draw(st.booleans()) and draw(st.booleans()) else "Action"] = actions
    resources = draw(st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2))
    statement["NotResource" if draw(st.integers(0, 4)) == 0 else "Resource"] = resources
    if with_principal:
        element = "NotPrincipal" if draw(st.integers(0, 5)) == 0 else "Principal"
        statement[element] = draw(st.sampled_from(PRINCIPAL_ELEMENTS))
    block = draw(conditions())
    if block:
        statement["Condition"] = block
    return statement


def policy_documents(kind: PolicyKind) -> st.SearchStrategy[dict[str, Any]]:
    return st.lists(statements(with_principal=kind.names_principals), min_size=1, max_size=3).map(
        lambda items: {"Version": "2012-10-17", "Statement": items}
    )


@st.composite
def policy_sets(draw: st.DrawFn, *, layers: bool = True) -> PolicySet:
    def policies(kind: PolicyKind, low: int, high: int) -> tuple[Any, ...]:
        docs = draw(st.lists(policy_documents(kind), min_size=low, max_size=high))
        return tuple(
            parse_policy(doc, kind=kind, name=f"{kind.value}{i}") for i, doc in enumerate(docs)
        )

    def optional(kind: PolicyKind) -> tuple[Any, ...] | None:
        if not layers or draw(st.integers(0, 3)) != 0:
            return None
        return policies(kind, 1, 1)

    return PolicySet(
        identity=policies(PolicyKind.IDENTITY, 0, 2),
        resource=policies(PolicyKind.RESOURCE, 0, 1),
        boundary=optional(PolicyKind.BOUNDARY),
        scp=optional(PolicyKind.SCP),
        rcp=optional(PolicyKind.RCP),
        session=optional(PolicyKind.SESSION),
    )


@st.composite
def requests(draw: st.DrawFn) -> Request:
    context: dict[str, list[str]] = {}
    for key in draw(st.lists(st.sampled_from(sorted(CONDITIONS)), max_size=4, unique=True)):
        pool = CONDITIONS[key][2]
        size = draw(st.integers(0, 2)) if key == "aws:TagKeys" else 1
        context[key] = draw(st.lists(st.sampled_from(pool), min_size=size, max_size=size))
    return Request.build(
        draw(st.sampled_from(PRINCIPALS)),
        draw(st.sampled_from(ACTIONS)),
        draw(st.sampled_from(RESOURCES)),
        context,
    )
