"""Wildcard matching of actions and ARNs, and policy variables."""

from __future__ import annotations

import pytest

from fmlab.iam.patterns import (
    action_matches,
    arn_matches,
    resolve,
    string_like,
    substitute,
)


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("iam:ListAccessKeys", "IAM:listaccesskeys", True),
        ("iam:*AccessKey*", "iam:CreateAccessKey", True),
        ("iam:*AccessKey*", "iam:ListUsers", False),
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetObjectAcl", False),
        ("*", "anything:AtAll", True),
        ("s3:*", "s3express:CreateSession", False),
        ("s3*:*", "s3express:CreateSession", True),
    ],
)
def test_action_matching(pattern: str, action: str, expected: bool) -> None:
    assert action_matches(pattern, action) is expected


@pytest.mark.parametrize(
    ("pattern", "arn", "expected"),
    [
        ("*", "arn:aws:s3:::b", True),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y:z", True),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::B/x", False),  # case-sensitive
        ("arn:aws:s3:::b", "arn:aws:s3:::b/x", False),
        ("arn:aws:sqs:*", "arn:aws:sqs:us-east-1:111122223333:q", True),  # trailing * spans
        ("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", True),
        # A wildcard inside an earlier segment stays in its segment.
        ("arn:aws:iam::*:user/a", "arn:aws:iam::1:2:user/a", False),
        ("arn:aws:iam::?:user/a", "arn:aws:iam::1:user/a", True),
        ("arn:aws:iam::?:user/a", "arn:aws:iam:::user/a", False),
    ],
)
def test_arn_matching(pattern: str, arn: str, expected: bool) -> None:
    assert arn_matches(pattern, arn) is expected


def test_arn_like_is_per_segment_but_string_like_is_not() -> None:
    # The IAM User Guide's example for ArnLike against StringLike.
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    arn = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert not arn_matches(pattern, arn)
    assert string_like(pattern, arn)


def test_variables_and_escapes() -> None:
    context = {"aws:username": ("alice",), "aws:tagkeys": ("a", "b")}
    found = resolve("arn:aws:s3:::home/${aws:username}/*", True, context)
    assert found is not None
    assert arn_matches("arn:aws:s3:::home/alice/*", "arn:aws:s3:::home/alice/x")
    assert found.tokens[0] == ("arn:aws:s3:::home/",)
    # A multivalued key has no single value to substitute; a default covers missing keys.
    assert resolve("${aws:TagKeys}", True, context) is None
    defaulted = substitute("${aws:PrincipalTag/team, 'none'}", lambda key: None)
    assert defaulted is not None
    assert defaulted.literal == "none"
    # ${*} is a literal star, not a wildcard.
    literal = resolve("a${*}b", True, {})
    assert literal is not None
    assert literal.literal == "a*b"
    # Under the 2008 version variables are plain text.
    plain = resolve("${aws:username}", False, context)
    assert plain is not None
    assert plain.literal == "${aws:username}"
