"""The screen against z3: every conflicts question the screen settles, z3 settles alike.

The screen (:mod:`fmlab.iam._screening`) says "yes" with a request it built and checked
with the concrete matcher, and "no" from glob inclusion and condition values; z3 answers
from the symbolic encoding (regular expressions, string classes). The two share no code
on the way to an answer, so each checks the other: on generated statements and on the
shapes that real managed policies made the screen learn.
"""

from __future__ import annotations

from typing import Any

import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.core.result import Proved
from fmlab.core.solving import Satisfiability, new_solver, solve
from fmlab.iam._catalog import Catalog
from fmlab.iam._conflicts import FindingKind, find_conflicts
from fmlab.iam._evaluator import PolicySet
from fmlab.iam._matching import statement_applies
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._screening import Screen, Screened
from fmlab.iam._symbolic import Encoder
from fmlab.iam._universe import ActionDomain
from tests.iam.strategies import statements

CATALOG = Catalog.from_mapping(
    {
        "s3": ["GetObject", "PutObject", "ListBucket"],
        "iam": ["CreateUser", "TagRole"],
        "ec2": ["RunInstances"],
    }
)


def _policy(*items: dict[str, Any]) -> Policy:
    document = {"Version": "2012-10-17", "Statement": list(items)}
    return parse_policy(document, kind=PolicyKind.IDENTITY, name="p")


def _screen(policy: Policy) -> tuple[Screen, list[Screened]]:
    actions = ActionDomain.build(
        (pattern for s in policy.statements for pattern in s.actions), CATALOG, ()
    )
    sides = [
        Screened(s, policy.variables_enabled, actions.classes_of(s)) for s in policy.statements
    ]
    return Screen(actions.representatives), sides


def _solver_says(
    policy: Policy, apply: list[int], avoid: list[int], encoder: Encoder
) -> Satisfiability:
    """z3's answer to the same question, from the symbolic encoding alone."""
    formulas = [encoder.applies(s, PolicyKind.IDENTITY) for s in policy.statements]
    parts = [formulas[i] for i in apply]
    if avoid:
        parts.append(z3.Not(z3.Or([formulas[i] for i in avoid])))
    solver = new_solver(timeout_ms=20_000)
    solver.add(*encoder.constraints)
    return solve([z3.And(parts)], solver=solver).status


def _questions(size: int) -> list[tuple[list[int], list[int]]]:
    out: list[tuple[list[int], list[int]]] = []
    for i in range(size):
        others = [j for j in range(size) if j != i]
        out.append(([i], others))
        for j in others:
            out.append(([i, j], []))
            out.append(([i], [j]))
    return out


def _check(policy: Policy) -> list[tuple[bool | None, Satisfiability]]:
    screen, sides = _screen(policy)
    encoder = Encoder(
        [PolicySet(identity=(policy,))], catalog=CATALOG, root_user=False, decisions=False
    )
    seen = []
    for apply, avoid in _questions(len(sides)):
        answer = screen.decide([sides[i] for i in apply], [sides[j] for j in avoid])
        if answer.holds is None:
            continue
        truth = _solver_says(policy, apply, avoid, encoder)
        seen.append((answer.holds, truth))
        if answer.holds:
            request = answer.request
            assert request is not None
            # The request shows the answer under the concrete matcher...
            assert all(
                statement_applies(sides[i].statement, request, variables=True) for i in apply
            )
            assert not any(
                statement_applies(sides[j].statement, request, variables=True) for j in avoid
            )
            # ...and lies where the solver looks, so it cannot have proved the opposite.
            assert truth is not Satisfiability.UNSAT, (apply, avoid, request)
        else:
            assert truth is not Satisfiability.SAT, (apply, avoid)
    return seen


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(statements(with_principal=False), min_size=2, max_size=3))
def test_every_settled_question_agrees_with_z3(items: list[dict[str, Any]]) -> None:
    _check(_policy(*items))


# Statements that differ mostly in their conditions on one shared key, so that the
# screen's value rules (fewer Like values imply more, X against NotX, Null) meet often.
_THEMES: list[tuple[str, list[str], list[str]]] = [
    (
        "aws:username",
        [
            "StringLike",
            "StringNotLike",
            "ForAllValues:StringLike",
            "ForAnyValue:StringLike",
            "ForAllValues:StringNotLike",
            "StringLikeIfExists",
            "StringNotLikeIfExists",
        ],
        [
            "alice",
            "al*",
            "a*",
            "*ice",
            "a?ice",
            "${aws:PrincipalTag/team}",
            "t-${aws:PrincipalTag/team}*",
        ],
    ),
    (
        "aws:username",
        [
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringEqualsIfExists",
        ],
        ["alice", "ALICE", "bob", "${aws:PrincipalTag/team}"],
    ),
    (
        "aws:SourceArn",
        ["ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals", "ArnLikeIfExists"],
        [
            "arn:aws:s3:::a/*",
            "arn:aws:s3:::a/b*",
            "arn:aws:s3:::*",
            "arn:aws:s3:*:*:a/*",
            "arn:aws:sqs:*:*:q",
        ],
    ),
    ("s3:max-keys", ["NumericLessThan", "NumericEquals", "NumericNotEquals"], ["10", "20"]),
]


@st.composite
def _themed(draw: st.DrawFn) -> list[dict[str, Any]]:
    key, operators, values = draw(st.sampled_from(_THEMES))
    out = []
    for _ in range(draw(st.integers(2, 3))):
        statement: dict[str, Any] = {
            "Effect": draw(st.sampled_from(["Allow", "Deny"])),
            "Action": draw(st.sampled_from(["s3:GetObject", "s3:*"])),
            "Resource": draw(st.sampled_from(["*", "arn:aws:s3:::a/*", "arn:aws:s3:::a/b*"])),
        }
        block: dict[str, dict[str, Any]] = {}
        if draw(st.integers(0, 4)) == 0:
            block["Null"] = {key: draw(st.sampled_from(["true", "false"]))}
        if draw(st.integers(0, 4)) != 0:
            operator = draw(st.sampled_from(operators))
            chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
            block.setdefault(operator, {})[key] = chosen
        if block:
            statement["Condition"] = block
        out.append(statement)
    return out


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_themed())
def test_condition_rules_agree_with_z3(items: list[dict[str, Any]]) -> None:
    _check(_policy(*items))


def test_the_generated_questions_exercise_both_answers() -> None:
    # Guard against a vacuous comparison: drawn derandomized, both "yes" and "no" must
    # come up often, and z3 must have been asked each time.
    seen: list[tuple[bool | None, Satisfiability]] = []

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(statements(with_principal=False), min_size=2, max_size=3))
    def collect(items: list[dict[str, Any]]) -> None:
        seen.extend(_check(_policy(*items)))

    collect()
    assert sum(1 for holds, _ in seen if holds) >= 50
    assert sum(1 for holds, _ in seen if holds is False) >= 20


# --- shapes from the AWS managed policies ---------------------------------------------

TAGGING = {
    "Sid": "Tag",
    "Effect": "Allow",
    "Action": ["iam:TagRole"],
    "Resource": ["arn:aws:iam::*:role/datazone_*", "arn:aws:iam::*:role/Bedrock*"],
    "Condition": {
        "ForAllValues:StringLike": {"aws:TagKeys": ["AmazonDataZone*", "RedshiftDb*"]},
        "Null": {"aws:TagKeys": "false"},
    },
}
TAGGING_NARROW = {
    "Sid": "TagRedshift",
    "Effect": "Allow",
    "Action": "iam:TagRole",
    "Resource": ["arn:aws:iam::*:role/datazone_usr_*"],
    "Condition": {
        "ForAllValues:StringLike": {"aws:TagKeys": ["RedshiftDb*"]},
        "Null": {"aws:TagKeys": "false"},
    },
}


def test_fewer_like_values_imply_more() -> None:
    # SageMakerStudioProjectProvisioningRolePolicy: one ForAllValues:StringLike list is
    # a sub-list of another's, and that statement is redundant.
    policy = _policy(TAGGING, TAGGING_NARROW)
    screen, (broad, narrow) = _screen(policy)
    assert screen.decide([narrow], [broad]).holds is False
    assert screen.decide([broad], [narrow]).holds is True
    report = find_conflicts([policy], catalog=CATALOG)
    assert not report.unknown
    (finding,) = report.findings
    assert finding.kind is FindingKind.REDUNDANT
    assert isinstance(finding.result, Proved)
    assert [ref.sid for ref in finding.statements] == ["TagRedshift", "Tag"]
    assert _check(policy)


def test_equals_and_not_equals_on_one_variable_never_meet() -> None:
    # SageMakerStudioProjectUserRolePermissionsBoundary: an Allow for resources tagged with
    # the caller's project, a Deny for resources tagged otherwise.
    same = {"aws:ResourceTag/Project": "${aws:PrincipalTag/Project}"}
    policy = _policy(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {"StringEquals": same},
        },
        {
            "Effect": "Deny",
            "Action": "*",
            "NotResource": "arn:aws:s3:::public/*",
            "Condition": {
                "StringNotEquals": same,
                "Null": {"aws:ResourceTag/Project": "false"},
            },
        },
    )
    screen, (allow, deny) = _screen(policy)
    assert screen.decide([allow, deny], []).holds is False
    assert find_conflicts([policy], catalog=CATALOG).findings == ()
    assert _check(policy)


def test_null_true_and_a_positive_operator_never_meet() -> None:
    policy = _policy(
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}},
        },
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"Null": {"aws:SourceVpce": "true"}},
        },
    )
    screen, (allow, deny) = _screen(policy)
    assert screen.decide([allow, deny], []).holds is False
    assert _check(policy)


def test_a_pattern_the_encoder_does_not_cover_is_decided_by_a_request() -> None:
    # ROSAImageRegistryOperatorPolicy: a "?" beside a variable between two "*" is outside
    # the symbolic encoding; the questions about it are settled by replayed requests.
    policy = _policy(
        {
            "Sid": "Buckets",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::*-registry-${aws:RequestedRegion}?/*",
        },
        {
            "Sid": "NoPut",
            "Effect": "Deny",
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::*-registry-*",
        },
    )
    report = find_conflicts([policy], catalog=CATALOG)
    assert not report.unknown
    (finding,) = report.findings
    assert finding.kind is FindingKind.OVERLAP
    witness = finding.witness
    assert witness is not None
    assert all(statement_applies(s, witness, variables=True) for s in policy.statements)


def test_what_neither_settles_stays_unknown_with_the_reason() -> None:
    # The first statement's resources all contain "x", so the second covers it; neither
    # the patterns (one holds a variable the inclusion check does not read) nor any
    # request show it, and the encoder does not cover the pattern: unknown, not proved.
    policy = _policy(
        {
            "Sid": "Narrow",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::*-x-${aws:username}?",
        },
        {
            "Sid": "Broad",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::*x*",
        },
    )
    report = find_conflicts([policy], catalog=CATALOG)
    assert report.findings == ()
    (unknown,) = report.unknown
    assert unknown.reason.value == "unsupported"
    assert '"?" between two "*"' in unknown.detail
