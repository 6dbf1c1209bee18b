"""Wildcard matching of actions and ARNs, and policy variables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.iam._patterns import (
    action_matches,
    arn_matches,
    glob,
    glob_disjoint,
    glob_subset,
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


SHAPES = [
    "arn:aws:ec2:*:*:vpc/*",
    "arn:aws:ec2:*:*:subnet/*",
    "arn:aws:ec2:*:*:transit-gateway/*",
    "arn:aws:ec2:*:*:transit-gateway-attachment/*",
    "arn:aws:ec2:us-east-1:*:vpc/v-1",
    "arn:aws:ec2:*:111122223333:vpc/*",
    "arn:aws:ec2:*",
    "arn:aws:*:*:*:vpc/*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/x*y",
    "arn:aws:s3:::b",
    "arn:aws:s3:::*/key",
    "arn:aws:s3:::b?/*",
    "arn:aws:iam::*:role/Nmd*",
    "arn:aws:iam::*:role/Nmd*modify*",
    "arn:aws:ssm:*::automation-definition/AWS-*:*",
    "arn:aws:ssm:*:*:automation-definition/*:*",
    "arn:aws:ssm:*::document/AWS-*",
    "arn:aws:ssm:*:*:document/*",
    "arn:aws:s3:::b/x*",
    "arn:aws:s3:::b/*y",
]
SHAPE_TEXTS = st.one_of(
    st.sampled_from(
        [
            "arn:aws:ec2:us-east-1:111122223333:vpc/v-1",
            "arn:aws:ec2:eu:1:subnet/s",
            "arn:aws:ec2:eu:1:transit-gateway/t",
            "arn:aws:ec2:eu:1:transit-gateway-attachment/t",
            "arn:aws:ec2:a:b:c:vpc/x",
            "arn:aws:s3:::b/xay",
            "arn:aws:s3:::b/key",
            "arn:aws:s3:::b",
            "arn:aws:s3:::b1/q",
            "arn:aws:iam::1:role/Nmdmodify",
            "arn:aws:iam::1:role/Nmd",
            "arn:aws:ssm:eu::automation-definition/AWS-x:1",
            "arn:aws:ssm:eu:1:automation-definition/AWS-x:1",
            "arn:aws:ssm:eu::automation-definition/AWS-:",
            "arn:aws:ssm:eu::document/AWS-x",
            "arn:aws:s3:::b/xy",
            "arn:aws:s3:::b/y",
        ]
    ),
    st.text(alphabet="arnwsec2:3/*?-bkyvpiuolmNdx1", max_size=30).map(lambda t: "arn:aws:" + t),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SHAPES), st.sampled_from(SHAPES), SHAPE_TEXTS, st.booleans())
def test_inclusion_and_disjointness_are_never_claimed_wrongly(
    one: str, other: str, text: str, arn: bool
) -> None:
    # The pruning in string classes relies on these being sufficient conditions only.
    matches = arn_matches if arn else string_like
    if glob_subset(glob(one), glob(other), arn=arn) and matches(one, text):
        assert matches(other, text)
    if glob_disjoint(glob(one), glob(other), arn=arn):
        assert not (matches(one, text) and matches(other, text))


def test_inclusion_and_disjointness_see_the_common_shapes() -> None:
    vpc, subnet = glob("arn:aws:ec2:*:*:vpc/*"), glob("arn:aws:ec2:*:*:subnet/*")
    assert glob_disjoint(vpc, subnet, arn=True)
    assert glob_subset(glob("arn:aws:ec2:us-east-1:*:vpc/v-1"), vpc, arn=True)
    assert glob_subset(vpc, glob("arn:aws:ec2:*"), arn=True)
    assert not glob_subset(glob("arn:aws:ec2:*"), vpc, arn=True)
    assert glob_subset(
        glob("arn:aws:ssm:*::automation-definition/AWS-*:*"),
        glob("arn:aws:ssm:*:*:automation-definition/*:*"),
        arn=True,
    )


# --- the linear-time matcher against a reference --------------------------------------


def _reference_glob(pattern: str, text: str) -> bool:
    """Matching straight from the definition, by dynamic programming over (pattern
    position, text position): slow, obviously right, and sharing nothing with the
    matcher under test."""
    table = [[False] * (len(text) + 1) for _ in range(len(pattern) + 1)]
    table[len(pattern)][len(text)] = True
    for i in range(len(pattern) - 1, -1, -1):
        for j in range(len(text), -1, -1):
            char = pattern[i]
            if char == "*":
                table[i][j] = table[i + 1][j] or (j < len(text) and table[i][j + 1])
            elif j < len(text) and (char == "?" or char == text[j]):
                table[i][j] = table[i + 1][j + 1]
    return table[0][0]


def _reference_arn(pattern: str, text: str) -> bool:
    """ARN matching by the rule in the IAM User Guide: cut both at their first five
    colons (the pattern's literal ones); a wildcard in one of the first five fields stays
    in its field, the last field of the pattern takes the rest of the text."""
    fields = pattern.split(":", 5)
    parts = text.split(":", len(fields) - 1)
    if len(parts) != len(fields):
        return False
    return all(_reference_glob(f, p) for f, p in zip(fields, parts, strict=True))


_ALPHABET = "ab:*?"
_TEXTS = st.text(alphabet="ab:", max_size=12)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=10), _TEXTS)
def test_glob_matching_agrees_with_the_reference(pattern: str, text: str) -> None:
    assert string_like(pattern, text) is _reference_glob(pattern, text)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=14), _TEXTS)
def test_arn_matching_agrees_with_the_reference(pattern: str, text: str) -> None:
    assert arn_matches(pattern, text) is _reference_arn(pattern, text)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("*a*a*a*a*a*a*b", "a" * 100),  # 24 s with the regular expressions it replaced
        ("*" * 10_000 + "b", "a" * 10_000),
        ("*a" * 5_000 + "*b", "a" * 10_000),
        ("?*" * 5_000, "a" * 4_999),
    ],
)
def test_patterns_that_made_backtracking_explode_are_quick(pattern: str, text: str) -> None:
    # Speed itself is measured in benchmarks/iam; here: the answer, computed at all.
    assert string_like(pattern, text) is False
    assert arn_matches("arn:aws:s3:::" + pattern, "arn:aws:s3:::" + text) is False
