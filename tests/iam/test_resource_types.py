"""Requests checked against the service reference's resource types, on real catalog entries.

The expected answers are written from the AWS Service Authorization Reference's tables
(which resource types each action lists, and each type's ARN format), not computed by
the code under test: S3 objects against buckets, DynamoDB tables against indexes, IAM
users against roles.
"""

from __future__ import annotations

import pytest

from fmlab.core.errors import InputError
from fmlab.iam._request import Request
from fmlab.iam._resource_types import load_resource_types, request_warnings
from fmlab.iam._spec import parse_spec

ACCOUNT = "111122223333"
BUCKET = "arn:aws:s3:::reports"
OBJECT = "arn:aws:s3:::reports/2026/q1.csv"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/Orders"
INDEX = f"{TABLE}/index/ByDate"
USER = f"arn:aws:iam::{ACCOUNT}:user/eng/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/deploy"

# (action, resource, AWS sends it): from the reference's tables.
CASES = [
    ("s3:GetObject", OBJECT, True),
    ("s3:GetObject", BUCKET, False),
    ("s3:ListBucket", BUCKET, True),
    ("s3:ListBucket", OBJECT, False),
    ("s3:PutObject", OBJECT, True),
    ("s3:CreateBucket", BUCKET, True),
    ("s3:CreateBucket", OBJECT, False),
    ("dynamodb:GetItem", TABLE, True),
    ("dynamodb:GetItem", INDEX, False),  # GetItem lists only the table type
    ("dynamodb:Query", TABLE, True),
    ("dynamodb:Query", INDEX, True),  # Query lists table and index
    ("dynamodb:DeleteTable", INDEX, False),
    ("iam:CreateUser", USER, True),  # a user name may carry a path
    ("iam:CreateUser", ROLE, False),
    ("iam:PassRole", ROLE, True),
    ("iam:PassRole", USER, False),
    ("iam:CreateUser", "*", False),  # the user is a required resource type
    ("s3:ListAllMyBuckets", "*", True),  # no resource type: sent with "*"
    ("s3:ListAllMyBuckets", BUCKET, False),
]


@pytest.mark.parametrize(("action", "resource", "sent"), CASES)
def test_resource_types_of_real_actions(action: str, resource: str, sent: bool) -> None:
    problems = load_resource_types().problems(action, resource)
    assert (problems == ()) == sent, problems
    if not sent:
        assert [p.field for p in problems] == ["resource"]


def test_the_message_names_the_types_the_action_applies_to() -> None:
    (problem,) = load_resource_types().problems("dynamodb:GetItem", INDEX)
    assert problem.message == f'dynamodb:GetItem cannot act on "{INDEX}": it applies to table'


def test_condition_keys_the_action_does_not_carry_are_named() -> None:
    types = load_resource_types()
    # s3:prefix belongs to ListBucket; global aws: keys come with every request; a tag key
    # stands for its whole family (s3:ExistingObjectTag/<key> on GetObject).
    assert types.problems("s3:ListBucket", BUCKET, ("s3:prefix", "aws:sourceip")) == ()
    assert types.problems("s3:GetObject", OBJECT, ("s3:existingobjecttag/team",)) == ()
    (problem,) = types.problems("s3:GetObject", OBJECT, ("s3:prefix",))
    assert problem.field == "context/s3:prefix"


def test_actions_the_reference_does_not_know_are_not_judged() -> None:
    assert load_resource_types().problems("s3:NoSuchAction", BUCKET) == ()


def test_request_warnings_carry_the_pointer() -> None:
    request = Request.build(USER, "iam:PassRole", USER, {"iam:PassedToService": "ec2"})
    (warning,) = request_warnings(request, "/request")
    assert warning.pointer == "/request/resource"
    assert warning.to_json()["message"].startswith('iam:PassRole cannot act on "')


def test_a_spec_request_aws_never_sends_is_an_error_at_its_pointer() -> None:
    spec = {
        "allow": [
            {"action": "dynamodb:Query", "resource": [TABLE, INDEX]},
            {"action": "dynamodb:GetItem", "resource": [TABLE, INDEX]},
        ]
    }
    with pytest.raises(InputError) as raised:
        parse_spec(spec, source="spec.json")
    assert raised.value.pointer == "/allow/1/resource/1"
    assert "it applies to table" in raised.value.message


def test_a_spec_context_key_the_action_ignores_is_a_warning() -> None:
    spec = parse_spec(
        {"allow": [{"action": "s3:GetObject", "resource": OBJECT, "context": {"s3:prefix": "a"}}]}
    )
    assert [(w.pointer, w.message) for w in spec.warnings] == [
        ("/allow/0/context/s3:prefix", 's3:GetObject does not carry the condition key "s3:prefix"')
    ]
