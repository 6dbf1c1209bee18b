"""The playground, driven through its widgets as a reader would (a small catalog keeps
the solver queries fast)."""

from __future__ import annotations

import json

import pytest

from fmlab.core.jsonio import loads_strict
from fmlab.iam._catalog import Catalog
from fmlab.iam._compare import Relation
from fmlab.iam._conflicts import FindingKind
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._parser import parse_policy
from fmlab.iam._playground import Outcome, Playground, PlaygroundInput, analyse, render

CATALOG = Catalog.from_mapping({"s3": ["GetObject", "PutObject", "ListBucket"]})


@pytest.fixture
def playground() -> Playground:
    return Playground(catalog=CATALOG)


def test_the_initial_state_is_rendered_at_construction(playground: Playground) -> None:
    # The static site only has what was computed before any callback runs.
    outcome = playground.outcome
    assert outcome.error is None
    assert outcome.evaluation is not None
    assert outcome.evaluation.decision is Decision.EXPLICIT_DENY
    assert [ref.sid for ref in outcome.evaluation.statements] == ["NoFinance"]
    html = playground.result.value
    assert "Decision: ExplicitDeny" in html
    assert html.count("<svg") == len(outcome.drawings) >= 2
    assert html.count('<svg style="max-width:100%;height:auto"') == len(outcome.drawings)
    assert outcome.conflicts is not None
    assert [f.kind for f in outcome.conflicts.findings] == [FindingKind.OVERLAP]
    assert "witness:" in html


def test_editing_the_request_changes_the_decision(playground: Playground) -> None:
    playground.resource.value = "arn:aws:s3:::example-reports/2026/q1.csv"
    assert playground.outcome.evaluation is not None
    assert playground.outcome.evaluation.decision is Decision.ALLOW
    assert "Decision: Allow" in playground.result.value
    playground.action.value = "s3:PutObject"
    assert playground.outcome.evaluation.decision is Decision.IMPLICIT_DENY


def test_context_is_read_as_json(playground: Playground) -> None:
    playground.policy.value = json.dumps(
        {
            "Statement": {
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            }
        }
    )
    assert playground.outcome.evaluation is not None
    assert playground.outcome.evaluation.decision is Decision.IMPLICIT_DENY
    playground.context.value = '{"aws:SourceIp": "10.1.2.3"}'
    assert playground.outcome.evaluation.decision is Decision.ALLOW


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("policy", '{"Statement": [}', "policy:1:16: invalid JSON: Expecting value"),
        (
            "policy",
            '{"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}}',
            'policy: /Statement/Effect: expected "Allow" or "Deny", got "allow"',
        ),
        ("policy", '{"Statement": [], "Statement": []}', 'policy: /: duplicate key "Statement"'),
        ("second", "[1]", "second policy: /: expected"),
        ("context", '{"aws:SourceIp": {}}', "request: /context/aws:SourceIp: expected a string"),
        ("action", "GetObject", 'request: /action: expected "service:Action", got "GetObject"'),
    ],
)
def test_bad_input_is_one_located_line(
    playground: Playground, field: str, text: str, message: str
) -> None:
    getattr(playground, field).value = text
    error = playground.outcome.error
    assert error is not None
    assert error.startswith(message), error
    assert "\n" not in error
    assert playground.result.value.startswith('<pre class="fmlab-error">')
    assert "Traceback" not in playground.result.value
    assert "<svg" not in playground.result.value


def test_fixing_the_error_recovers(playground: Playground) -> None:
    good = playground.policy.value
    playground.policy.value = "{"
    assert playground.outcome.error is not None
    playground.policy.value = good
    assert playground.outcome.error is None
    assert "Decision: ExplicitDeny" in playground.result.value


def test_compare_with_a_second_policy(playground: Playground) -> None:
    playground.second.value = json.dumps(
        {"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}
    )
    comparison = playground.outcome.comparison
    assert comparison is not None
    assert comparison.relation is Relation.LESS_PERMISSIVE
    witness = comparison.b_not_a_request()
    assert witness is not None
    # Any request B allows and A does not will do (the solver picks which); replay it.
    first = parse_policy(loads_strict(playground.policy.value))
    second = parse_policy(loads_strict(playground.second.value))
    assert evaluate(PolicySet(identity=(first,)), witness).decision is not Decision.ALLOW
    assert evaluate(PolicySet(identity=(second,)), witness).decision is Decision.ALLOW
    assert "Comparison with the second policy" in playground.result.value
    assert [caption for caption, _ in playground.outcome.drawings][-1] == "comparison"
    playground.second.value = "  "
    assert playground.outcome.comparison is None


def test_unknown_actions_are_warned_about(playground: Playground) -> None:
    playground.policy.value = json.dumps(
        {"Statement": {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}}
    )
    assert [w.message for w in playground.outcome.warnings] == [
        'unknown action "s3:GetObjekt" (service s3 has no such action)'
    ]
    assert "Warnings:" in playground.result.value


def test_text_is_escaped() -> None:
    given = PlaygroundInput(principal="arn:aws:iam::111122223333:user/<b>x</b>")
    html = render(analyse(given, catalog=CATALOG))
    assert "<b>x</b>" not in html


def test_render_of_an_empty_outcome_is_empty() -> None:
    assert render(Outcome()) == ""


def test_the_widget_holds_every_input(playground: Playground) -> None:
    assert playground.current() == PlaygroundInput()
    children = playground.widget.children
    assert children[-1] is playground.result


def test_what_the_solver_cannot_decide_is_shown_as_unknown(playground: Playground) -> None:
    # A policy variable beside a "?" between two stars is evaluated concretely but not
    # encoded symbolically (other placements are): no proof is claimed. (The second
    # statement covers the first, which neither the patterns nor a request can show.)
    playground.policy.value = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:*",
                    "Resource": "arn:aws:s3:::*/?${aws:username}/*",
                },
                {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*/*"},
            ],
        }
    )
    playground.second.value = json.dumps(
        {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}
    )
    outcome = playground.outcome
    assert outcome.evaluation is not None
    assert outcome.conflicts is not None
    assert outcome.comparison is not None
    assert outcome.conflicts.findings == ()
    assert len(outcome.conflicts.unknown) == 1
    assert outcome.comparison.relation is Relation.UNKNOWN
    html = playground.result.value
    assert "0 finding(s), 1 undecided" in html
    assert "unknown (unsupported)" in html
