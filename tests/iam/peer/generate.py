"""Seeded random scenarios for the differential run against the independent evaluator.

Each scenario is a document in the format ``fmlab iam evaluate`` reads (``{"policies":
{...}, "request": {...}}``), built from a small vocabulary so that policies and requests
interact: the same principals, actions, ARNs and context keys appear on both sides, with
values on either side of every boundary. The generator covers every condition operator
family (string, numeric, date, bool, binary, IP, ARN, Null, the set qualifiers and
IfExists), KMS keys with and without a key policy that enables IAM policies,
NotPrincipal, permissions boundaries, session policies, SCPs, RCPs, policy variables,
cross-account requests and empty policy lists.

``scenario(seed)`` is a pure function of the seed, so a disagreement is reported by its
seed and reproduced by it.
"""

from __future__ import annotations

import random
from typing import Any

A = "111122223333"
B = "444455556666"
ALICE = f"arn:aws:iam::{A}:user/alice"
BOB = f"arn:aws:iam::{B}:user/bob"
ROLE = f"arn:aws:iam::{A}:role/Deployer"
SESSION = f"arn:aws:sts::{A}:assumed-role/Deployer/build"
FEDERATED = f"arn:aws:sts::{A}:federated-user/fed"
ROOT = f"arn:aws:iam::{A}:root"
SERVICE = "logs.amazonaws.com"
# Weighted: the root user and a service caller are rarer than users and sessions.
PRINCIPALS = [ALICE] * 6 + [SESSION] * 6 + [FEDERATED] * 3 + [BOB] * 3 + [ROOT, SERVICE]
SESSIONS = (SESSION, FEDERATED)

KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_B = f"arn:aws:kms:us-east-1:{B}:key/0987dcba-09fe-87dc-65ba-ab0987654321"

# (action, resource) pairs whose resource is of a type the action takes.
REQUESTS: list[tuple[str, str]] = [
    ("s3:GetObject", "arn:aws:s3:::reports/a.csv"),
    ("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt"),
    ("s3:PutObject", "arn:aws:s3:::reports/a.csv"),
    ("s3:PutObject", "arn:aws:s3:::private/secret1"),
    ("s3:ListBucket", "arn:aws:s3:::reports"),
    ("ec2:TerminateInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-1"),
    ("ec2:StartInstances", f"arn:aws:ec2:eu-west-1:{B}:instance/i-2"),
    ("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}:queue1"),
    ("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{B}:queue2"),
    ("dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/Orders"),
    ("kms:Decrypt", KEY),
    ("kms:Encrypt", KEY),
    ("kms:Decrypt", KEY_B),
    ("kms:ListKeys", "*"),
]
ACTION_PATTERNS = [
    "*",
    "s3:*",
    "s3:Get*",
    "s3:?utObject",
    "s3:GetObject",
    "S3:getobject",
    "ec2:*Instances",
    "sqs:Send?essage",
    "kms:*",
    "kms:Decrypt",
    "kms:Encrypt",
    "dynamodb:*",
    "iam:*",
]
RESOURCE_PATTERNS = [
    "*",
    "arn:aws:s3:::reports/*",
    "arn:aws:s3:::reports",
    "arn:aws:s3:::*/secret*",
    "arn:aws:s3:::home/${aws:username}/*",
    f"arn:aws:ec2:*:{A}:instance/*",
    "arn:aws:ec2:*:*:instance/i-?",
    "arn:aws:sqs:*",
    f"arn:aws:sqs:us-east-1:{A}:*",
    f"arn:aws:kms:*:{A}:key/*",
    "arn:aws:kms:*:*:key/*",
    f"arn:aws:dynamodb:us-east-1:{A}:table/Orders",
]
PRINCIPAL_ELEMENTS: list[Any] = [
    "*",
    {"AWS": "*"},
    {"AWS": ALICE},
    {"AWS": ROLE},
    {"AWS": SESSION},
    {"AWS": [ROLE, SESSION]},
    {"AWS": ROOT},
    {"AWS": A},
    {"AWS": f"arn:aws:iam::{B}:root"},
    {"AWS": BOB},
    {"AWS": FEDERATED},
    {"Service": SERVICE},
]


def _family(
    operators: list[str], policy_values: list[str], request_values: list[str]
) -> tuple[list[str], list[str], list[str]]:
    return operators, policy_values, request_values


_STRING_OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "StringEqualsIfExists",
    "StringNotLikeIfExists",
    "StringEqualsIgnoreCaseIfExists",
]
_NUMERIC = [
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "NumericLessThanEqualsIfExists",
]
_DATE = [
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "DateGreaterThanEqualsIfExists",
]
_SET_STRING = [
    "ForAllValues:StringEquals",
    "ForAllValues:StringLike",
    "ForAllValues:StringNotEquals",
    "ForAnyValue:StringEquals",
    "ForAnyValue:StringLike",
    "ForAnyValue:StringNotLike",
    "ForAnyValue:StringEqualsIgnoreCase",
    "ForAllValues:StringEqualsIfExists",
    "ForAnyValue:StringEqualsIfExists",
]

# key -> (operators, policy values, request values). Values sit on both sides of every
# boundary: the equal number, one more and one less, the bare address and its block.
CONDITIONS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "aws:PrincipalTag/team": _family(
        _STRING_OPERATORS,
        ["red", "Red*", "blue", "r?d", "${aws:username}"],
        ["red", "RED", "blue", "alice"],
    ),
    "s3:prefix": _family(
        ["StringLike", "StringNotLike", "StringEquals", "StringLikeIfExists"],
        ["home/*", "home/${aws:username}/*", "*a*b", "reports"],
        ["home/alice/x", "home/bob/", "reports", "ab", "xaxb"],
    ),
    "aws:MultiFactorAuthAge": _family(_NUMERIC, ["3600", "120", "0"], ["120", "3600", "3601", "0"]),
    "s3:max-keys": _family(_NUMERIC, ["10", "2.5"], ["1", "10", "2.5", "100", "2.50"]),
    "aws:CurrentTime": _family(
        _DATE,
        ["2026-01-01T00:00:00Z", "1767225600", "2025-06-01"],
        [
            "2025-06-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            "2025-12-31T23:59:59Z",
            "2027-01-01T00:00:00Z",
        ],
    ),
    "aws:SecureTransport": _family(["Bool", "BoolIfExists"], ["true", "false"], ["true", "false"]),
    "aws:MultiFactorAuthPresent": _family(["Bool", "Null"], ["true", "false"], ["true", "false"]),
    "fmlab:Blob": _family(["BinaryEquals"], ["QmluYXJ5", "YWJj"], ["QmluYXJ5", "YWJj", "eHl6"]),
    "aws:SourceIp": _family(
        ["IpAddress", "NotIpAddress", "IpAddressIfExists", "NotIpAddressIfExists"],
        ["203.0.113.0/24", "203.0.113.7", "10.0.0.0/8", "2001:db8::/32", "2001:db8::1"],
        ["203.0.113.7", "203.0.113.200", "10.1.2.3", "198.51.100.1", "2001:db8::1", "2001:db9::1"],
    ),
    "aws:SourceArn": _family(
        ["ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals", "ArnLikeIfExists"],
        [
            f"arn:aws:s3:*:{A}:*",
            "arn:aws:sns:us-east-1:*:topic",
            f"arn:aws:sqs:us-east-1:{A}:queue1",
        ],
        [
            f"arn:aws:s3:us-east-1:{A}:b",
            f"arn:aws:s3:us-east-1:{B}:x:{A}:y",
            "arn:aws:sns:us-east-1:1:topic",
            f"arn:aws:sqs:us-east-1:{A}:queue1",
        ],
    ),
    "aws:SourceVpce": _family(
        ["Null", "StringEquals", "StringNotEqualsIfExists"],
        ["vpce-1a2b", "vpce-9z"],
        ["vpce-1a2b", "vpce-3c"],
    ),
    "aws:TagKeys": _family(
        _SET_STRING, ["env", "team", "cost*"], ["env", "team", "owner", "cost-center"]
    ),
    "aws:ResourceAccount": _family(["StringEquals", "StringNotEquals"], [A, B], [A, B]),
    "aws:PrincipalAccount": _family(["StringEquals", "StringNotEquals"], [A, B], [A, B]),
}
# Keys whose request values follow from the principal rather than from the table.
DERIVED = ("aws:username", "aws:PrincipalArn")
_VARIABLE_KEYS = {"aws:username"}


def _condition_block(rng: random.Random) -> dict[str, dict[str, Any]]:
    block: dict[str, dict[str, Any]] = {}
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
        if rng.random() < 0.12:
            key = "aws:PrincipalArn"
            operator = rng.choice(["ArnLike", "ArnNotLike", "ArnEquals", "StringLike"])
            values: Any = rng.sample(
                [f"arn:aws:iam::{A}:user/*", ROLE, ALICE, "arn:aws:iam::*:role/*"], 1
            )
            block.setdefault(operator, {})[key] = values
            continue
        key = rng.choice(sorted(CONDITIONS))
        operators, pool, _requests = CONDITIONS[key]
        operator = rng.choice(operators)
        if operator == "Null":
            values = rng.choice(["true", "false"])
        else:
            values = rng.sample(pool, rng.choice((1, 1, 2)))
            if len(values) == 1 and rng.random() < 0.5:
                values = values[0]
        block.setdefault(operator, {})[key] = values
    return block


def _statement(rng: random.Random, *, resource_side: bool, kms_key: bool) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow" if rng.random() < 0.65 else "Deny"}
    actions = rng.sample(ACTION_PATTERNS, rng.choice((1, 1, 2)))
    if kms_key and rng.random() < 0.5:
        actions = rng.sample(["kms:*", "kms:Decrypt", "kms:Encrypt", "*"], 1)
    statement["NotAction" if rng.random() < 0.12 else "Action"] = (
        actions[0] if len(actions) == 1 and rng.random() < 0.5 else actions
    )
    resources = rng.sample(RESOURCE_PATTERNS, rng.choice((1, 1, 2)))
    if resource_side and rng.random() < 0.5:
        resources = ["*"]
    statement["NotResource" if rng.random() < 0.1 else "Resource"] = resources
    if resource_side:
        negated = statement["Effect"] == "Deny" and rng.random() < 0.3
        statement["NotPrincipal" if negated else "Principal"] = rng.choice(PRINCIPAL_ELEMENTS)
    block = _condition_block(rng)
    if block:
        statement["Condition"] = block
    return statement


def _policy(
    rng: random.Random, *, resource_side: bool = False, kms_key: bool = False
) -> dict[str, Any]:
    statements = [
        _statement(rng, resource_side=resource_side, kms_key=kms_key)
        for _ in range(rng.choice((1, 1, 2, 3)))
    ]
    document: dict[str, Any] = {"Version": "2012-10-17", "Statement": statements}
    if len(statements) == 1 and rng.random() < 0.3:
        document["Statement"] = statements[0]
    return document


def _full_access(resource_side: bool) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    if resource_side:
        statement["Principal"] = "*"
    return {"Version": "2012-10-17", "Statement": [statement]}


def _enable_iam(account: str) -> dict[str, Any]:
    """The key policy statement that lets IAM policies in ``account`` grant access."""
    return {
        "Sid": "EnableIAMPolicies",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


def _context(rng: random.Random, principal: str, resource: str) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for key in rng.sample(sorted(CONDITIONS), rng.choice((0, 1, 2, 3, 4))):
        pool = CONDITIONS[key][2]
        if key == "aws:TagKeys":
            context[key] = rng.sample(pool, rng.choice((1, 2, 3)))
        elif key == "aws:ResourceAccount":
            account = resource.split(":")[4] if resource.startswith("arn:") else ""
            context[key] = account or A
        elif key == "aws:PrincipalAccount":
            continue
        else:
            context[key] = rng.choice(pool)
    if principal.startswith(f"arn:aws:iam::{A}:user/") and rng.random() < 0.8:
        context["aws:username"] = principal.rsplit("/", 1)[-1]
    if principal != SERVICE and rng.random() < 0.6:
        arn = ROLE if principal == SESSION else principal
        context["aws:PrincipalArn"] = arn
    return context


def scenario(seed: int) -> dict[str, Any]:
    """The scenario for ``seed``: policies by kind and one request."""
    rng = random.Random(seed)
    principal = rng.choice(PRINCIPALS)
    action, resource = rng.choice(REQUESTS)
    kms_key = ":key/" in resource
    policies: dict[str, Any] = {}
    if principal != SERVICE:
        policies["identity"] = [
            _policy(rng, kms_key=kms_key) for _ in range(rng.choice((1, 1, 2, 3)))
        ]
    resource_odds = 0.8 if kms_key else 0.4
    if rng.random() < resource_odds:
        key_policy = _policy(rng, resource_side=True, kms_key=kms_key)
        if kms_key and rng.random() < 0.5:
            statements = key_policy["Statement"]
            if isinstance(statements, dict):
                statements = [statements]
            owner = resource.split(":")[4]
            key_policy["Statement"] = [_enable_iam(owner), *statements]
        policies["resource"] = [key_policy]
    if principal not in (ROOT, SERVICE):
        if rng.random() < 0.25:
            policies["boundary"] = [_policy(rng)]
        elif rng.random() < 0.05:
            policies["boundary"] = []
    if principal != SERVICE:
        if rng.random() < 0.25:
            scps = [_full_access(False)] if rng.random() < 0.6 else []
            scps += [_policy(rng) for _ in range(rng.choice((1, 1, 2)))]
            policies["scp"] = scps
        elif rng.random() < 0.05:
            policies["scp"] = []
    if rng.random() < 0.12:
        # RCPFullAWSAccess is always attached to an account with RCPs, and the others
        # may only deny, with Principal "*".
        guard = _policy(rng, resource_side=True)
        statements = (
            guard["Statement"] if isinstance(guard["Statement"], list) else [guard["Statement"]]
        )
        for statement in statements:
            statement["Effect"] = "Deny"
            statement.pop("NotPrincipal", None)
            statement["Principal"] = "*"
        policies["rcp"] = [_full_access(True), guard]
    if principal in SESSIONS and rng.random() < 0.35:
        policies["session"] = [_policy(rng, kms_key=kms_key)]
    return {
        "seed": seed,
        "policies": policies,
        "request": {
            "principal": principal,
            "action": action,
            "resource": resource,
            "context": _context(rng, principal, resource),
        },
    }
