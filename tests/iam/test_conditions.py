"""Condition operators against a request context, one documented rule per test."""

from __future__ import annotations

import pytest

from fmlab.iam._conditions import condition_holds
from fmlab.iam._model import Condition
from fmlab.iam._operators import parse_operator


def _holds(
    operator: str, key: str, values: tuple[str, ...], context: dict[str, tuple[str, ...]]
) -> bool:
    condition = Condition(parse_operator(operator), key, values, "/c")
    return condition_holds(condition, {k.lower(): v for k, v in context.items()}, variables=True)


def test_several_values_are_or_for_positive_operators() -> None:
    assert _holds("StringEquals", "k", ("a", "b"), {"k": ("b",)})
    assert not _holds("StringEquals", "k", ("a", "b"), {"k": ("c",)})


def test_negated_operators_with_several_values_act_as_and() -> None:
    # True only when the request value matches none of the listed values.
    assert not _holds("StringNotEquals", "k", ("a", "b"), {"k": ("a",)})
    assert not _holds("StringNotEquals", "k", ("a", "b"), {"k": ("b",)})
    assert _holds("StringNotEquals", "k", ("a", "b"), {"k": ("c",)})


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("StringEquals", False),
        ("StringNotEquals", True),
        ("StringLike", False),
        ("StringNotLike", True),
        ("ArnNotLike", True),
        ("NumericEquals", False),
        ("NumericNotEquals", True),
        ("StringEqualsIfExists", True),
        ("NumericLessThanIfExists", True),
        ("ForAllValues:StringEquals", True),
        ("ForAnyValue:StringEquals", False),
        ("ForAnyValue:StringEqualsIfExists", False),  # an undocumented case: see _readings
    ],
)
def test_missing_key_rules(operator: str, expected: bool) -> None:
    values = ("1",)
    assert _holds(operator, "absent", values, {}) is expected


def test_null_tests_presence() -> None:
    assert _holds("Null", "k", ("true",), {})
    assert not _holds("Null", "k", ("true",), {"k": ("x",)})
    assert _holds("Null", "k", ("false",), {"k": ("x",)})


def test_keys_compare_case_insensitively_values_sensitively() -> None:
    assert _holds(
        "StringEquals", "AWS:PrincipalTag/Team", ("red",), {"aws:principaltag/team": ("red",)}
    )
    assert not _holds("StringEquals", "k", ("red",), {"k": ("Red",)})
    assert _holds("StringEqualsIgnoreCase", "k", ("red",), {"k": ("RED",)})
    assert _holds("StringLike", "k", ("r?d*",), {"k": ("rods",)})
    assert not _holds("StringLike", "k", ("r?d*",), {"k": ("Rods",)})


def test_numeric_and_date_comparisons() -> None:
    assert _holds("NumericLessThan", "n", ("10",), {"n": ("9.5",)})
    assert not _holds("NumericLessThan", "n", ("10",), {"n": ("10",)})
    assert _holds("NumericLessThanEquals", "n", ("10",), {"n": ("10.0",)})
    assert not _holds("NumericGreaterThan", "n", ("10",), {"n": ("ten",)})
    assert _holds("DateLessThan", "t", ("2026-01-01T00:00:00Z",), {"t": ("1767225599",)})
    assert not _holds(
        "DateLessThan", "t", ("2026-01-01T00:00:00Z",), {"t": ("2026-01-01T00:00:00Z",)}
    )
    assert _holds(
        "DateGreaterThanEquals", "t", ("2026-01-01",), {"t": ("2026-01-01T00:00:00+00:00",)}
    )


def test_bool_and_binary() -> None:
    assert _holds("Bool", "aws:SecureTransport", ("false",), {"aws:SecureTransport": ("false",)})
    assert not _holds("Bool", "aws:SecureTransport", ("false",), {"aws:SecureTransport": ("true",)})
    assert _holds("BinaryEquals", "k", ("QmluYXJ5",), {"k": ("QmluYXJ5",)})
    assert not _holds("BinaryEquals", "k", ("QmluYXJ5",), {"k": ("QmluYXJ6",)})


def test_ip_addresses_v4_and_v6() -> None:
    assert _holds(
        "IpAddress", "aws:SourceIp", ("203.0.113.0/24",), {"aws:SourceIp": ("203.0.113.9",)}
    )
    assert not _holds(
        "IpAddress", "aws:SourceIp", ("203.0.113.0/24",), {"aws:SourceIp": ("203.0.114.9",)}
    )
    assert _holds(
        "IpAddress", "aws:SourceIp", ("2001:db8::/32",), {"aws:SourceIp": ("2001:db8::1",)}
    )
    assert not _holds(
        "IpAddress", "aws:SourceIp", ("2001:db8::/32",), {"aws:SourceIp": ("10.0.0.1",)}
    )
    # A bare address is a /32.
    assert _holds("IpAddress", "aws:SourceIp", ("10.0.0.1",), {"aws:SourceIp": ("10.0.0.1",)})
    assert _holds("NotIpAddress", "aws:SourceIp", ("10.0.0.0/8",), {"aws:SourceIp": ("192.0.2.1",)})
    # Through a VPC endpoint there is no aws:SourceIp: NotIpAddress is true, IpAddress false.
    assert _holds("NotIpAddress", "aws:SourceIp", ("10.0.0.0/8",), {"aws:SourceVpce": ("vpce-1",)})
    assert not _holds("IpAddress", "aws:SourceIp", ("10.0.0.0/8",), {"aws:SourceVpce": ("vpce-1",)})


def test_arn_operators_match_per_segment() -> None:
    arn = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    pattern = ("arn:aws:someservice:*:111122223333:finance/*",)
    assert not _holds("ArnLike", "aws:SourceArn", pattern, {"aws:SourceArn": (arn,)})
    assert _holds("StringLike", "aws:SourceArn", pattern, {"aws:SourceArn": (arn,)})
    assert _holds("ArnNotLike", "aws:SourceArn", pattern, {"aws:SourceArn": (arn,)})


def test_set_operators() -> None:
    allowed = ("a", "b")
    assert _holds("ForAllValues:StringEquals", "aws:TagKeys", allowed, {"aws:TagKeys": ("a", "b")})
    assert not _holds(
        "ForAllValues:StringEquals", "aws:TagKeys", allowed, {"aws:TagKeys": ("a", "c")}
    )
    # ForAllValues is true for an empty set: the classic over-permissive Allow.
    assert _holds("ForAllValues:StringEquals", "aws:TagKeys", allowed, {"aws:TagKeys": ()})
    assert _holds("ForAnyValue:StringEquals", "aws:TagKeys", allowed, {"aws:TagKeys": ("c", "a")})
    assert not _holds("ForAnyValue:StringEquals", "aws:TagKeys", allowed, {"aws:TagKeys": ()})
    # Negated inside a set operator: per value, "matches none of the listed values".
    assert _holds(
        "ForAnyValue:StringNotEquals", "aws:TagKeys", allowed, {"aws:TagKeys": ("a", "z")}
    )
    assert not _holds(
        "ForAllValues:StringNotEquals", "aws:TagKeys", allowed, {"aws:TagKeys": ("a", "z")}
    )


def test_policy_variables_in_condition_values() -> None:
    context = {"aws:username": ("alice",), "s3:prefix": ("home/alice/docs",)}
    assert _holds("StringLike", "s3:prefix", ("home/${aws:username}/*",), context)
    assert not _holds(
        "StringLike", "s3:prefix", ("home/${aws:username}/*",), {"s3:prefix": ("home/alice/x",)}
    )


@pytest.mark.parametrize(
    ("operator", "request_value", "expected"),
    [
        ("NumericLessThanEquals", "120", True),
        ("NumericLessThanEquals", "3600", True),
        ("NumericLessThanEquals", "3601", False),
        ("NumericGreaterThanEquals", "3601", True),
        ("NumericGreaterThanEquals", "3600", True),
        ("NumericGreaterThanEquals", "120", False),
    ],
)
def test_less_and_greater_than_equals_are_orderings_not_equality(
    operator: str, request_value: str, expected: bool
) -> None:
    """The operator table names NumericLessThanEquals "less than or equals" and
    NumericGreaterThanEquals "greater than or equals"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
    The peer run found MultiFactorAuthAge 120 failing "<= 3600": the suffix "Equals"
    was read first. The values away from the boundary are the ones that catch it."""
    key = "aws:MultiFactorAuthAge"
    assert _holds(operator, key, ("3600",), {key: (request_value,)}) is expected


@pytest.mark.parametrize(
    ("operator", "moment", "expected"),
    [
        ("DateLessThanEquals", "2025-06-01T00:00:00Z", True),
        ("DateLessThanEquals", "2026-06-01T00:00:00Z", False),
        ("DateGreaterThanEquals", "2026-06-01T00:00:00Z", True),
        ("DateGreaterThanEquals", "2025-06-01T00:00:00Z", False),
    ],
)
def test_date_orderings_with_equals(operator: str, moment: str, expected: bool) -> None:
    """DateLessThanEquals is "less than or equals" and DateGreaterThanEquals "greater
    than or equals" on dates (same page: Date condition operators)."""
    key = "aws:CurrentTime"
    assert _holds(operator, key, ("2026-01-01T00:00:00Z",), {key: (moment,)}) is expected
