"""The parser: real policy shapes accepted, malformed ones rejected with a location."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.core.errors import InputError
from fmlab.core.jsonio import loads_strict
from fmlab.iam._model import Effect, OperatorFamily, PolicyKind, PrincipalType, SetQualifier
from fmlab.iam._parser import parse_policy


def _statement(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def _error(document: Any, **kwargs: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_policy(document, **kwargs)
    return caught.value


def test_single_statement_object_and_single_values() -> None:
    policy = parse_policy(
        {
            "Version": "2012-10-17",
            "Id": "p1",
            "Statement": {"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
        }
    )
    (statement,) = policy.statements
    assert statement.sid == "Read"
    assert statement.effect is Effect.ALLOW
    assert statement.actions == ("s3:Get*",)
    assert statement.resources == ("*",)
    assert statement.pointer == "/Statement"
    assert policy.id == "p1"
    assert policy.variables_enabled


def test_lists_not_elements_principals_and_conditions() -> None:
    policy = parse_policy(
        {
            "Statement": [
                {
                    "Effect": "Deny",
                    "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/Admin"]},
                    "NotAction": ["iam:*", "sts:*"],
                    "NotResource": "arn:aws:s3:::logs/*",
                    "Condition": {
                        "ForAnyValue:StringNotLikeIfExists": {"aws:TagKeys": ["a*", 3, True]},
                        "NumericLessThan": {"s3:max-keys": 10},
                    },
                }
            ]
        },
        kind=PolicyKind.RESOURCE,
    )
    (statement,) = policy.statements
    assert statement.not_action
    assert statement.not_resource
    assert statement.not_principal
    assert statement.principals is not None
    assert statement.principals.entries[0].type is PrincipalType.AWS
    tags, keys = statement.conditions
    assert tags.values == ("a*", "3", "true")
    assert tags.operator.qualifier is SetQualifier.FOR_ANY_VALUE
    assert tags.operator.negated
    assert tags.operator.if_exists
    assert keys.operator.family is OperatorFamily.NUMERIC
    assert tags.pointer == "/Statement/0/Condition/ForAnyValue:StringNotLikeIfExists/aws:TagKeys"
    assert not policy.variables_enabled  # no Version: ${...} is literal text


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            {"Statement": [_statement(), _statement(Effect="allow")]},
            '/Statement/1/Effect: expected "Allow" or "Deny", got "allow"',
        ),
        ({"Statement": [_statement(Action=None)]}, '/Statement/0: missing "Action" or "NotAction"'),
        (
            {"Statement": [_statement(NotAction="s3:*")]},
            '/Statement/0: "Action" and "NotAction" cannot both appear',
        ),
        ({"Version": "2012-10-18", "Statement": []}, '/Version: expected "2012-10-17"'),
        ({"Statement": [_statement(Action="GetObject")]}, '/Statement/0/Action: expected "service'),
        (
            {"Statement": [_statement(Action=["s3:A", 7])]},
            "/Statement/0/Action/1: expected an action, got a number",
        ),
        ({"Statement": [_statement(Resource=[])]}, "/Statement/0/Resource: expected a resource"),
        ({"Statement": [_statement(Resource="bucket")]}, "/Statement/0/Resource: expected an ARN"),
        ({"Statement": "x"}, "/Statement: expected an object or a list"),
        ({"statement": []}, '/statement: unknown element "statement" (did you mean "Statement"?)'),
        ({}, '/: missing "Statement"'),
        ([], "/: expected an object"),
        (
            {"Statement": [_statement(Condition={"StringEqualz": {"k": "v"}})]},
            '/Statement/0/Condition/StringEqualz: unknown condition operator "StringEqualz"',
        ),
        (
            {"Statement": [_statement(Condition={"NumericLessThan": {"k": "ten"}})]},
            '/Statement/0/Condition/NumericLessThan/k: expected a number, got "ten"',
        ),
        (
            {
                "Statement": [
                    _statement(Condition={"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "x"]}})
                ]
            },
            "/Statement/0/Condition/IpAddress/aws:SourceIp/1: expected an IP address",
        ),
        (
            {
                "Statement": [
                    _statement(Condition={"DateLessThan": {"aws:CurrentTime": "tomorrow"}})
                ]
            },
            "/Statement/0/Condition/DateLessThan/aws:CurrentTime: expected an ISO 8601 date",
        ),
        (
            {"Statement": [_statement(Condition={"NullIfExists": {"k": "true"}})]},
            "Null takes neither IfExists",
        ),
        (
            {"Statement": [_statement(Condition={"Bool": {"aws:SecureTransport": "yes"}})]},
            'expected "true" or "false", got "yes"',
        ),
        (
            {"Statement": [_statement(Sid="A"), _statement(Sid="A")]},
            '/Statement/1/Sid: duplicate Sid "A"',
        ),
        ({"Statement": [_statement(Effect=None)]}, '/Statement/0: missing "Effect"'),
    ],
)
def test_rejections_name_the_place(document: Any, expected: str) -> None:
    message = str(_error(document))
    assert expected in message
    assert "\n" not in message


def test_principal_rules_depend_on_the_kind_of_policy() -> None:
    with_principal = {"Statement": [_statement(Principal="*")]}
    message = str(_error(with_principal, kind=PolicyKind.IDENTITY))
    assert message.startswith("/Statement/0/Principal: a identity policy cannot name principals")
    assert 'missing "Principal"' in str(
        _error({"Statement": [_statement()]}, kind=PolicyKind.RESOURCE)
    )
    parsed = parse_policy(with_principal, kind=PolicyKind.RESOURCE)
    assert parsed.statements[0].principals is not None
    assert parsed.statements[0].principals.anyone


def test_duplicate_keys_are_rejected_by_the_strict_reader() -> None:
    text = '{"Statement": {"Effect": "Allow", "Effect": "Deny", "Action": "*", "Resource": "*"}}'
    with pytest.raises(InputError, match='/Statement: duplicate key "Effect"'):
        loads_strict(text, source="p.json")


def test_source_is_named_in_errors() -> None:
    assert str(_error({"Statement": 1}, source="p.json")).startswith("p.json: /Statement: ")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
_keys = st.sampled_from(
    [
        "Version",
        "Statement",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "Sid",
        "AWS",
        "StringLike",
        "IpAddress",
        "ForAllValues:StringEquals",
        "NumericLessThan",
        "DateGreaterThan",
        "Null",
        "aws:SourceIp",
    ]
)
_values = st.sampled_from(
    [
        "Allow",
        "Deny",
        "*",
        "s3:Get*",
        "arn:aws:s3:::b/*",
        "2012-10-17",
        "10.0.0.0/8",
        "true",
        "2020-01-01T00:00:00Z",
        "1e400",
        "::1/129",
        "",
        "${aws:username}",
    ]
)
_policyish = st.recursive(
    _values | st.integers() | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=25,
)


def _check_only_input_error(run: Callable[[], object], *, located: bool) -> None:
    """Run the parser; it may succeed or raise InputError (one line, located), nothing else."""
    caught: InputError | None = None
    try:
        run()
    except InputError as error:
        caught = error
    if caught is not None:
        assert "\n" not in str(caught)
        assert not located or caught.pointer is not None


@settings(max_examples=150, deadline=None)
@given(st.one_of(_json, _policyish, st.dictionaries(_keys, _policyish, max_size=4)))
def test_fuzz_parser_raises_only_input_errors(document: Any) -> None:
    for kind in (None, PolicyKind.RESOURCE):
        _check_only_input_error(lambda k=kind: parse_policy(document, kind=k), located=True)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_text_raises_only_input_errors(text: str) -> None:
    _check_only_input_error(lambda: parse_policy(loads_strict(text)), located=False)


def test_deeply_nested_input_is_an_input_error() -> None:
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(InputError):
        parse_policy(loads_strict(text))


def test_pointers_escape_slashes_and_tildes_in_keys() -> None:
    # RFC 6901: "~" is written "~0" and "/" "~1"; condition keys such as aws:RequestTag/x
    # hold slashes, and the fast path for plain keys must not skip the escaping for them.
    policy = parse_policy(
        {
            "Statement": {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestTag/team~x": "blue"}},
            }
        }
    )
    (condition,) = policy.statements[0].conditions
    assert condition.pointer == "/Statement/Condition/StringEquals/aws:RequestTag~1team~0x"
