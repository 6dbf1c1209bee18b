"""The exercise checker refutes wrong policies with a replayed request and proves right ones.

The witnesses are checked here without the library's matcher: the resource against the
exercise's ARN pattern with :func:`fnmatch.fnmatchcase` (``*`` in an ARN matches any
run of characters, ``/`` included, as in :mod:`fnmatch`), and the decisions against
what the policies say on their face.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

import pytest

from fmlab.core import InputError
from fmlab.core.errors import UsageError
from fmlab.core.result import Refuted, UnknownReason
from fmlab.iam import Decision, PolicyMistake, check_policy_exercise, parse_policy

REPORTS = "arn:aws:s3:::example-reports/*"
PAYROLL = "arn:aws:s3:::example-payroll/*"


def document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


MUST_ALLOW = document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": REPORTS})
MUST_NOT_ALLOW = document({"Effect": "Allow", "Action": "s3:*", "Resource": PAYROLL})


def check(attempt: dict[str, Any]) -> Any:
    return check_policy_exercise(attempt, must_allow=MUST_ALLOW, must_not_allow=MUST_NOT_ALLOW)


def mistake_of(attempt: dict[str, Any]) -> PolicyMistake:
    result = check(attempt)
    assert isinstance(result, Refuted), result.explain()
    assert result.replayed_by == "the concrete evaluator"
    witness: PolicyMistake = result.witness
    return witness


def test_a_wildcard_that_reaches_the_forbidden_bucket_is_refuted_there() -> None:
    too_wide = document(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-*"}
    )
    found = mistake_of(too_wide)
    assert not found.must_be_allowed
    assert found.decision is Decision.ALLOW
    assert found.request.action == "s3:GetObject"
    assert fnmatchcase(found.request.resource, PAYROLL)


def test_the_bucket_instead_of_its_objects_is_refuted_on_an_object() -> None:
    bucket_only = document(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports"}
    )
    found = mistake_of(bucket_only)
    assert found.must_be_allowed
    assert found.decision is Decision.IMPLICIT_DENY
    assert found.request.action == "s3:GetObject"
    assert fnmatchcase(found.request.resource, REPORTS)


def test_a_condition_does_not_hide_a_forbidden_grant_and_the_witness_carries_it() -> None:
    only_from_the_office = document(
        {
            "Effect": "Allow",
            "Action": "s3:Get*",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}},
        }
    )
    found = mistake_of(only_from_the_office)
    assert not found.must_be_allowed
    assert found.decision is Decision.ALLOW
    assert fnmatchcase(found.request.resource, PAYROLL)
    (address,) = found.request.value("aws:SourceIp") or ("missing",)
    assert address.startswith("198.51.100.")
    assert "context" in str(found)


@pytest.mark.parametrize(
    "right",
    [
        MUST_ALLOW,
        # The rest is the reader's choice: everything but the forbidden bucket.
        document(
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": PAYROLL},
        ),
        document({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": REPORTS}),
    ],
)
def test_right_answers_are_proved_within_the_comparison_bounds(right: dict[str, Any]) -> None:
    result = check(right)
    assert result.proved, result.explain()
    assert "catalog actions" in result.explain()


def test_parsed_policies_are_accepted_as_well_as_documents() -> None:
    parsed = parse_policy(MUST_ALLOW)
    assert check_policy_exercise(parsed, must_allow=parsed, must_not_allow=MUST_NOT_ALLOW).proved


def test_what_the_reader_sees_fits_the_page() -> None:
    result = check(document({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    assert isinstance(result, Refuted)
    text = result.explain()
    # Every line of the witness is shown, under the heading.
    shown = [line.strip() for line in text.splitlines()]
    assert all(line.strip() in shown for line in str(result.witness).strip().splitlines())
    # The site's output boxes hold 77 characters at 1280 px.
    assert max(len(line) for line in text.splitlines()) <= 77
    assert max(len(line) for line in check(MUST_ALLOW).explain().splitlines()) <= 77


def test_a_deny_in_must_not_allow_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="as Allow statements"):
        check_policy_exercise(
            MUST_ALLOW,
            must_allow=MUST_ALLOW,
            must_not_allow=document({"Effect": "Deny", "Action": "s3:*", "Resource": PAYROLL}),
        )


def test_a_bad_attempt_names_its_json_pointer() -> None:
    with pytest.raises(InputError, match="/Statement/0/Effect"):
        check(document({"Effect": "allow", "Action": "s3:*", "Resource": "*"}))


def test_an_encoding_the_solver_cannot_decide_is_unknown_not_proved() -> None:
    variable_beside_a_question_mark = document(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*?${aws:username}*"}
    )
    result = check(variable_beside_a_question_mark)
    assert not result.proved
    assert not result.refuted
    assert result.reason is UnknownReason.UNSUPPORTED
