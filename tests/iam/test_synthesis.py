"""Synthesis: both forms from one spec, minimality against brute force, infeasible specs,
and honesty when the solver times out or an answer fails its concrete replay."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fmlab.iam._synthesis as synthesis_module
from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason
from fmlab.core.solving import Outcome, Satisfiability
from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request
from fmlab.iam._spec import AccessSpec
from fmlab.iam._synthesis import CLAIM, Objective, Solution, SynthesisStatus, synthesize
from fmlab.iam._templates import (
    ALLOW_EVERYTHING,
    Form,
    StatementShape,
    TemplateSpace,
    canonical,
    smallest_by_enumeration,
    statement_shapes,
)

CATALOG = Catalog.from_mapping(
    {
        "s3": ["GetObject", "GetObjectAcl", "PutObject", "ListBucket", "DeleteObject"],
        "iam": ["ListUsers", "CreateUser"],
    }
)
ALICE = "arn:aws:iam::111122223333:user/alice"
REPORT = "arn:aws:s3:::reports/q1.csv"

# The talk's example: read the reports, nothing else the spec mentions.
READERS = AccessSpec.build(
    allow=[("s3:GetObject", REPORT), ("s3:ListBucket", "arn:aws:s3:::reports")],
    deny=[("s3:PutObject", REPORT), ("iam:CreateUser", "arn:aws:iam::111122223333:user/eve")],
    principal=ALICE,
)


def _allowed(document: Any, request: Request) -> bool:
    policies = PolicySet(identity=(parse_policy(document),))
    return evaluate(policies, request).decision is Decision.ALLOW


def _meets(document: Any, spec: AccessSpec) -> bool:
    return all(_allowed(document, r) == must for r, must in spec.requests())


def test_one_spec_gives_both_the_allow_action_and_the_deny_notaction_form() -> None:
    allow = synthesize(READERS, form="allow-action", catalog=CATALOG, objective="smallest")
    deny = synthesize(READERS, form=Form.DENY_NOT_ACTION, catalog=CATALOG)
    assert allow.found
    assert deny.found
    [allow_statement] = allow.solutions[0].document["Statement"]
    assert allow_statement["Effect"] == "Allow"
    assert "Action" in allow_statement
    first, *denies = deny.solutions[0].document["Statement"]
    assert first == {"Effect": "Allow", "Action": "*", "Resource": "*"}
    assert denies
    assert all(s["Effect"] == "Deny" and "NotAction" in s for s in denies)
    for result in (allow, deny):
        assert _meets(result.solutions[0].document, READERS)  # replayed here, independently
        assert isinstance(result.answer, Refuted)
        assert result.answer.claim == CLAIM
        assert isinstance(result.minimality, Proved)


def test_deny_notaction_without_its_allow_grants_nothing() -> None:
    deny = synthesize(READERS, form="deny-notaction", catalog=CATALOG).solutions[0]
    without_allow = {**deny.document, "Statement": deny.document["Statement"][1:]}
    for request in READERS.allow:
        assert _allowed(deny.document, request)
        assert not _allowed(without_allow, request)


def test_the_free_form_is_never_larger_than_either_fixed_form() -> None:
    results = {form: synthesize(READERS, form=form, catalog=CATALOG) for form in Form}
    sizes = {form: (len(r.solutions[0].statements), r.solutions[0].patterns)
             for form, r in results.items()}  # fmt: skip
    assert sizes[Form.ANY] <= sizes[Form.ALLOW_ACTION]
    assert sizes[Form.ANY] <= sizes[Form.DENY_NOT_ACTION]


def test_several_distinct_minimal_solutions() -> None:
    result = synthesize(
        READERS, form="allow-action", solutions=4, catalog=CATALOG, objective="smallest"
    )
    assert len(result.solutions) >= 2
    assert len({s.statements for s in result.solutions}) == len(result.solutions)
    sizes = {(len(s.statements), s.patterns) for s in result.solutions}
    assert len(sizes) == 1
    assert all(_meets(s.document, READERS) for s in result.solutions)


def test_the_first_solution_prefers_exact_names() -> None:
    result = synthesize(
        READERS, form="allow-action", solutions=5, catalog=CATALOG, objective="smallest"
    )
    assert result.solutions[0].statements[0].generality == min(
        s.statements[0].generality for s in result.solutions
    )


def test_infeasible_when_one_request_must_be_allowed_and_denied() -> None:
    spec = AccessSpec.build([("s3:GetObject", REPORT)], [("s3:GetObject", REPORT)])
    result = synthesize(spec, catalog=CATALOG)
    assert result.status is SynthesisStatus.INFEASIBLE
    assert isinstance(result.answer, Proved)
    assert "must be both allowed and denied" in result.explanation
    assert result.unseparated == (spec.allow[0],)


def test_infeasible_when_requests_differ_only_in_who_asks() -> None:
    bob = "arn:aws:iam::111122223333:user/bob"
    spec = AccessSpec(
        AccessSpec.build([("s3:GetObject", REPORT)], principal=ALICE).allow,
        AccessSpec.build([("s3:GetObject", REPORT)], principal=bob).allow,
    )
    result = synthesize(spec, catalog=CATALOG)
    assert result.status is SynthesisStatus.INFEASIBLE
    assert "principal or context" in result.explanation
    assert [r.principal for r in result.unseparated] == [ALICE, bob]


def test_infeasible_when_no_identity_policy_can_allow() -> None:
    other = AccessSpec.build(
        [("s3:GetObject", "arn:aws:s3:::reports/x")],
        principal="arn:aws:iam::444455556666:user/carol",
    )
    # An S3 ARN names no account: the resource account is given in the context.
    request = Request.build(
        other.allow[0].principal,
        "s3:GetObject",
        "arn:aws:s3:::reports/x",
        {"aws:ResourceAccount": "111122223333"},
    )
    result = synthesize(AccessSpec((request,)), catalog=CATALOG)
    assert result.status is SynthesisStatus.INFEASIBLE
    assert "cross-account" in result.explanation


def test_infeasible_when_no_candidate_pattern_separates_two_requests() -> None:
    spec = AccessSpec.build([("s3:GetObject", REPORT)], [("s3:GetObjectAcl", REPORT)])
    space = TemplateSpace(("*", "s3:Get*"), ("*",), 3)
    result = synthesize(spec, space=space)
    assert result.status is SynthesisStatus.INFEASIBLE
    assert "no candidate pattern separates" in result.explanation
    assert [r.action for r in result.unseparated] == ["s3:GetObject", "s3:GetObjectAcl"]
    # With the derived candidates the exact action separates them.
    assert synthesize(spec, catalog=CATALOG).found


def test_infeasible_within_the_bound_found_beyond_it() -> None:
    # Get on one object and Put on another, but neither crosswise: one Allow statement
    # would allow a crosswise pair as well, so the policy needs two statements.
    a, b = "arn:aws:s3:::a/x", "arn:aws:s3:::b/x"
    spec = AccessSpec.build(
        [("s3:GetObject", a), ("s3:PutObject", b)], [("s3:GetObject", b), ("s3:PutObject", a)]
    )
    space = TemplateSpace(("s3:GetObject", "s3:PutObject"), (a, b), 1, Form.ALLOW_ACTION)
    small = synthesize(spec, form="allow-action", space=space, objective="smallest")
    assert small.status is SynthesisStatus.INFEASIBLE
    assert "at most 1 statement " in small.explanation
    assert isinstance(small.answer, Proved)
    assert small.answer.bound == space.describe()
    bigger = TemplateSpace(space.actions, space.resources, 2, Form.ALLOW_ACTION)
    found = synthesize(spec, form="allow-action", space=bigger, objective="smallest")
    assert found.found
    assert len(found.solutions[0].statements) == 2
    assert "1 statement" not in (found.minimality.explain() if found.minimality else "")


def _unknown_outcome() -> Outcome:
    return Outcome(Satisfiability.UNKNOWN, None, "timeout", 0.01)


def test_a_timeout_is_unknown_never_infeasible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synthesis_module, "solve", lambda *a, **k: _unknown_outcome())
    result = synthesize(READERS, catalog=CATALOG)
    assert result.status is SynthesisStatus.UNKNOWN
    assert isinstance(result.answer, Unknown)
    assert result.answer.reason is UnknownReason.TIMEOUT
    assert result.solutions == ()


def test_a_timeout_below_the_answer_leaves_minimality_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = synthesis_module.solve
    calls = {"n": 0}

    def first_times_out(*args: Any, **kwargs: Any) -> Outcome:
        calls["n"] += 1
        return _unknown_outcome() if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(synthesis_module, "solve", first_times_out)
    result = synthesize(READERS, form="deny-notaction", catalog=CATALOG)
    assert result.found
    assert isinstance(result.minimality, Unknown)
    assert not result.minimality.proved


def test_an_answer_that_fails_its_replay_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Solution, "meets", lambda self, spec: False)
    result = synthesize(READERS, catalog=CATALOG)
    assert result.status is SynthesisStatus.UNKNOWN
    assert isinstance(result.answer, Unknown)
    assert result.answer.reason is UnknownReason.WITNESS_NOT_CONFIRMED
    assert result.solutions == ()


def test_json_and_text_reports() -> None:
    result = synthesize(READERS, form="deny-notaction", catalog=CATALOG)
    payload = result.to_json()
    assert payload["status"] == "found"
    assert payload["form"] == "deny-notaction"
    assert payload["policies"][0]["Statement"][0] == ALLOW_EVERYTHING.document()
    assert payload["minimal"]["verdict"] == "proved"
    assert "witness" not in payload["answer"]
    text = result.explain()
    assert text.startswith("found (deny-notaction)")
    assert '"NotAction"' in text


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="max_statements"):
        synthesize(READERS, max_statements=0, catalog=CATALOG)
    with pytest.raises(ValueError, match="solutions"):
        synthesize(READERS, solutions=0, catalog=CATALOG)
    space = TemplateSpace(("s3:*",), ("*",), 2, Form.DENY_NOT_ACTION)
    with pytest.raises(ValueError, match="needs"):
        synthesize(READERS, form="deny-notaction", space=space)
    with pytest.raises(ValueError, match="the template space is for any"):
        synthesize(READERS, form="allow-action", space=TemplateSpace(("s3:*",), ("*",), 2))


# -- the property: every answer meets the spec; minimality agrees with brute force --------

ACTIONS = ["s3:GetObject", "s3:GetObjectAcl", "s3:PutObject", "iam:ListUsers"]
RESOURCES = ["arn:aws:s3:::a/x", "arn:aws:s3:::a/y", "arn:aws:s3:::b/x"]
ACTION_PATTERNS = ["s3:*", "s3:Get*", "s3:GetObject", "s3:PutObject", "iam:ListUsers"]
# Mostly Alice; the account root needs no Allow, a federated user without a session policy
# can never be allowed, so both exercise the classes' special cases.
PRINCIPALS = [ALICE, ALICE, ALICE, "arn:aws:iam::111122223333:root",
              "arn:aws:sts::111122223333:federated-user/f"]  # fmt: skip
RESOURCE_PATTERNS = ["arn:aws:s3:::a/*", "arn:aws:s3:::a/x", "arn:aws:s3:::b/*"]


@st.composite
def tiny_problems(draw: st.DrawFn) -> tuple[AccessSpec, TemplateSpace]:
    asked = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ACTIONS), st.sampled_from(RESOURCES), st.sampled_from(PRINCIPALS)
            ),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    musts = draw(st.lists(st.booleans(), min_size=len(asked), max_size=len(asked)))
    requests = [Request.build(p, a, r) for a, r, p in asked]
    allow = tuple(r for r, must in zip(requests, musts, strict=True) if must)
    deny = tuple(r for r, must in zip(requests, musts, strict=True) if not must)
    form = draw(st.sampled_from(list(Form)))
    actions = draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=2, unique=True))
    resources = draw(
        st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=1, unique=True)
    )
    if form is Form.DENY_NOT_ACTION:
        actions, resources = ["*", *actions], ["*", *resources]
    elif draw(st.booleans()):
        resources = ["*", *resources]
    size = 3 if form is Form.DENY_NOT_ACTION else 2
    space = TemplateSpace(tuple(actions), tuple(resources), size, form)
    return AccessSpec(allow, deny), space


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(), st.integers(min_value=1, max_value=3))
def test_synthesis_agrees_with_brute_force(
    problem: tuple[AccessSpec, TemplateSpace], wanted: int
) -> None:
    spec, space = problem
    result = synthesize(spec, form=space.form, space=space, solutions=wanted, objective="smallest")
    expected = smallest_by_enumeration(spec, space)
    if expected is None:
        assert result.status is SynthesisStatus.INFEASIBLE
        return
    size, patterns, every = expected
    assert result.status is SynthesisStatus.FOUND
    assert isinstance(result.minimality, Proved)
    assert len(result.solutions) == min(wanted, len(every))
    for solution in result.solutions:
        assert _meets(solution.document, spec)  # the concrete evaluator, request by request
        assert (len(solution.statements), solution.patterns) == (size, patterns)
        assert canonical(solution.statements) in every
        assert all(s.fits(space.form, i) for i, s in enumerate(solution.statements))


def test_minimal_on_a_medium_space_against_brute_force() -> None:
    """A space where z3's first model is seldom the cheapest, so the descent must work."""
    a, b = "arn:aws:s3:::a/x", "arn:aws:s3:::b/x"
    spec = AccessSpec.build(
        [("s3:GetObject", a), ("s3:GetObjectAcl", a), ("s3:PutObject", b), ("s3:GetObject", b)],
        [("s3:PutObject", a), ("iam:ListUsers", "*"), ("s3:DeleteObject", b)],
    )
    space = TemplateSpace(
        ("s3:*", "s3:Get*", "s3:GetObject", "s3:PutObject"), ("*", "arn:aws:s3:::a/*", b), 2,
        Form.ALLOW_ACTION,
    )  # fmt: skip
    expected = smallest_by_enumeration(spec, space)
    assert expected is not None
    result = synthesize(spec, form=space.form, space=space, solutions=50, objective="smallest")
    assert (len(result.solutions[0].statements), result.solutions[0].patterns) == expected[:2]
    assert {s.statements for s in result.solutions} == set(expected[2])


def test_the_descent_lowers_a_costly_first_answer_to_the_least() -> None:
    from fmlab.core.solving import new_solver
    from fmlab.iam._synthesis import _descend, _Encoding, _patterns
    from fmlab.iam._templates import StatementShape, request_classes

    a = "arn:aws:s3:::a/x"
    spec = AccessSpec.build([("s3:GetObject", a)], [("s3:PutObject", a)])
    space = TemplateSpace(("s3:GetObject", "s3:Get*", "s3:PutObject"), (a, "*"), 1)
    encoding = _Encoding(space, request_classes(spec, space), 1)
    solver = new_solver()
    solver.add(*encoding.constraints)
    costly = (StatementShape(True, False, ("s3:GetObject", "s3:Get*"), False, (a, "*")),)
    assert Solution.of(costly).meets(spec)
    best, queries, proved = _descend(solver, encoding.pattern_terms(), costly, _patterns, encoding)
    assert proved
    assert queries >= 2
    assert _patterns(best) == 2
    assert Solution.of(best).meets(spec)


# -- least privilege, checked by enumerating every policy of a small space ----------------

_LP_CATALOG = Catalog.from_mapping(
    {"s3": ["GetObject", "GetObjectAcl", "PutObject", "ListBucket"], "sqs": ["SendMessage"]}
)
_LP_A, _LP_B = "arn:aws:s3:::example-a/x", "arn:aws:s3:::example-b/x"
# The concrete requests the granted sets are compared over, chosen by hand: every catalog
# action on the spec's objects, on another object in each bucket, on a bucket, and on a
# queue in another service.
_LP_RESOURCES = (
    _LP_A,
    _LP_B,
    "arn:aws:s3:::example-a/other",
    "arn:aws:s3:::example-b/other",
    "arn:aws:s3:::example-c/y",
    "arn:aws:s3:::example-a",
    "arn:aws:sqs:us-east-1:444455556666:jobs",
)


def _granted_concretely(statements: Sequence[StatementShape]) -> frozenset[tuple[str, str]]:
    """What a policy allows, by the concrete evaluator over the hand-picked requests."""
    policy = PolicySet(identity=(Solution.of(statements).policy,))
    return frozenset(
        (action, resource)
        for action in _LP_CATALOG.actions()
        for resource in _LP_RESOURCES
        if evaluate(policy, Request.build(ALICE, action, resource)).decision is Decision.ALLOW
    )


_LP_READ_BOTH = AccessSpec.build(
    [("s3:GetObject", _LP_A), ("s3:GetObject", _LP_B)], [("s3:PutObject", _LP_A)], principal=ALICE
)
# Reading one object and writing another in a single statement grants both on both: with
# one statement the least granted set lies above the allow list's own cells (the floor),
# so the general search over granted sets answers, not the floor shortcut.
_LP_READ_ONE_WRITE_OTHER = AccessSpec.build(
    [("s3:GetObject", _LP_A), ("s3:PutObject", _LP_B)],
    [("s3:GetObjectAcl", _LP_A)],
    principal=ALICE,
)
_LP_OBJECTS = (_LP_A, "arn:aws:s3:::example-a/*", "arn:aws:s3:::example-b/*", "*")


@pytest.mark.parametrize(
    ("spec", "actions", "statements", "at_floor"),
    [
        (_LP_READ_BOTH, ("s3:GetObject", "s3:Get*", "s3:*"), 2, True),
        (_LP_READ_BOTH, ("s3:GetObject", "s3:PutObject", "*"), 2, True),
        (_LP_READ_ONE_WRITE_OTHER, ("s3:GetObject", "s3:PutObject", "s3:*", "*"), 1, False),
    ],
)
def test_least_privilege_has_no_satisfying_policy_granting_a_strict_subset(
    spec: AccessSpec, actions: tuple[str, ...], statements: int, at_floor: bool
) -> None:
    space = TemplateSpace(actions, _LP_OBJECTS, statements, Form.ALLOW_ACTION)
    found = synthesize(spec, form="allow-action", space=space, catalog=_LP_CATALOG)
    assert found.found
    assert found.minimality is not None
    assert found.minimality.proved
    assert ("allow list's own groups" in found.minimality.to_json()["bound"]) is at_floor
    mine = _granted_concretely(found.solutions[0].statements)
    shapes = statement_shapes(space)
    satisfying = 0
    for size in range(1, statements + 1):
        for chosen in itertools.combinations(shapes, size):
            if not Solution.of(chosen).meets(spec):
                continue
            satisfying += 1
            theirs = _granted_concretely(chosen)
            assert not theirs < mine, (chosen, sorted(mine - theirs))
    assert satisfying > 1  # the check compared against something
    # The smallest objective's answer on the same space grants strictly more here.
    smallest = synthesize(spec, form="allow-action", space=space, objective="smallest")
    assert mine < _granted_concretely(smallest.solutions[0].statements)


@pytest.mark.parametrize("statements", [2, 3])
def test_the_floor_shortcut_agrees_with_the_general_search(
    statements: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where some policy grants only the allow list's cells, the shortcut and the search
    over granted sets must reach the same granted set, statement count and pattern count."""
    spec = AccessSpec.build(
        [("s3:GetObject", _LP_A), ("s3:PutObject", _LP_B), ("s3:GetObject", _LP_B)],
        [("s3:GetObjectAcl", _LP_A), ("s3:PutObject", _LP_A)],
        principal=ALICE,
    )
    space = TemplateSpace(
        ("s3:GetObject", "s3:PutObject", "s3:Get*", "*"),
        (_LP_A, _LP_B, "arn:aws:s3:::example-b/*", "*"),
        statements,
        Form.ALLOW_ACTION,
    )
    shortcut = synthesize(spec, form="allow-action", space=space, catalog=_LP_CATALOG)
    monkeypatch.setattr(synthesis_module.Floor, "of", classmethod(lambda cls, *args: None))
    general = synthesize(spec, form="allow-action", space=space, catalog=_LP_CATALOG)
    assert shortcut.found
    assert general.found
    assert shortcut.minimality is not None
    assert shortcut.minimality.proved
    assert general.minimality is not None
    assert general.minimality.proved
    first, second = shortcut.solutions[0], general.solutions[0]
    assert _granted_concretely(first.statements) == _granted_concretely(second.statements)
    assert (len(first.statements), first.patterns) == (len(second.statements), second.patterns)


def test_least_privilege_on_the_issue_spec_grants_only_what_is_listed() -> None:
    catalog = load_catalog()
    reports, table = "arn:aws:s3:::reports", "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"
    spec = AccessSpec.build(
        [
            ("s3:GetObject", f"{reports}/q1.csv"),
            ("s3:GetObject", f"{reports}/q2.csv"),
            ("s3:ListBucket", reports),
            ("dynamodb:GetItem", table),
            ("dynamodb:Query", table),
        ],
        [
            ("s3:PutObject", f"{reports}/q1.csv"),
            ("s3:DeleteObject", f"{reports}/q1.csv"),
            ("s3:GetObject", "arn:aws:s3:::payroll/2026.csv"),
            ("dynamodb:DeleteItem", table),
            ("iam:CreateUser", "arn:aws:iam::111122223333:user/eve"),
        ],
        principal=ALICE,
    )
    found = synthesize(spec, form="allow-action", catalog=catalog)
    assert found.objective is Objective.LEAST_PRIVILEGE
    statements = found.solutions[0].document["Statement"]
    assert all("NotResource" not in s and "*" not in json.dumps(s) for s in statements)
    named = {(a, r) for a, r in ((q.action, q.resource) for q in spec.allow)}
    for statement in statements:
        acts = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        res = (
            statement["Resource"]
            if isinstance(statement["Resource"], list)
            else [statement["Resource"]]
        )
        assert {(a, r) for a in acts for r in res} <= named
