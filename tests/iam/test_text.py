"""IAM explanations fit the page (76 columns) and still say everything they said.

The site's output boxes hold 77 characters at 1280 px. Each explanation is checked two
ways: no line is wider than 76 unless it is one unbreakable word (an ARN) or one JSON
string, and the folded text carries the same information as before folding (a JSON
witness parses back to the request, a paragraph has the same words in the same order).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason
from fmlab.iam._catalog import Catalog
from fmlab.iam._compare import Comparison, Relation, compare
from fmlab.iam._conflicts import find_conflicts
from fmlab.iam._evaluator import PolicySet
from fmlab.iam._excess import Excess, ExcessCell
from fmlab.iam._model import PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request
from fmlab.iam._text import WIDTH, json_lines, wrapped

ASSUMED_ROLE = "arn:aws:sts::999900001111:assumed-role/fmlab-role/fmlab-session"
LONG_ARN = "arn:aws:s3:::" + "a-bucket-with-a-name-far-too-long-for-any-line/" * 2 + "key"

_ONE_JSON_STRING = re.compile(r'^ *"(?:[^"\\]|\\.)*",?$')


def _too_wide(line: str) -> bool:
    """A line over the width that could have been folded: not one word, not one string."""
    return (
        len(line) > WIDTH
        and len(line.split()) > 1
        and not _ONE_JSON_STRING.match(line)
        and not re.match(r'^ *"(?:[^"\\]|\\.)*":$', line)
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=120),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=90), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.sampled_from(["", "  ", "    "]))
def test_folded_json_parses_back_and_fits_where_it_can(value: Any, indent: str) -> None:
    lines = json_lines(value, indent)
    assert json.loads("\n".join(lines)) == value
    assert all(line.startswith(indent) for line in lines)
    for line in lines:
        # A line still too wide holds one member's value or key alone: nothing to break.
        assert len(line) <= WIDTH or not _too_wide(line), line


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=400))
def test_wrapped_text_keeps_its_words_in_order(text: str) -> None:
    lines = wrapped(text, "  ")
    assert " ".join(lines).split() == text.split()
    assert all(len(line) <= WIDTH or len(line.split()) == 1 for line in lines)


def _request(principal: str, action: str, resource: str = "*", **context: str) -> Request:
    return Request.build(principal, action, resource, context)


def _comparison(a_not_b: Any, b_not_a: Any, relation: Relation) -> Comparison:
    return Comparison(relation, a_not_b, b_not_a, ("actions: 3 classes",), 0.25)


WITNESSES = [
    _request("arn:aws:iam::999900001111:user/fmlab-user", "aws-marketplace:ViewSubscriptions"),
    _request(ASSUMED_ROLE, "s3express:CreateSession", **{"s3express:SessionMode": "ReadOnly"}),
    _request("arn:aws:iam::111122223333:user/bob", "s3:GetObject", LONG_ARN),
    _request(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::example-reports/q1.csv",
        **{"aws:SourceIp": "10.0.0.1", "aws:PrincipalTag/team": "a team with a long name " * 3},
    ),
]


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda r: r.action)
def test_a_comparison_prints_each_witness_as_json_that_fits_and_parses(witness: Request) -> None:
    refuted = Refuted("B allows every request A allows", witness)
    proved = Proved("A allows every request B allows")
    text = _comparison(refuted, proved, Relation.MORE_PERMISSIVE).explain()
    lines = text.splitlines()
    assert not [line for line in lines if _too_wide(line)], text
    # The JSON block between the heading and the next direction is the witness itself.
    start = lines.index("  A allows, B does not:") + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("  B allows, A does not"))
    assert json.loads("\n".join(lines[start:end])) == witness.to_json()


def test_only_an_unbreakable_value_runs_over() -> None:
    witness = _request("arn:aws:iam::111122223333:user/bob", "s3:GetObject", LONG_ARN)
    text = _comparison(Refuted("c", witness), Proved("d"), Relation.MORE_PERMISSIVE).explain()
    over = [line for line in text.splitlines() if len(line) > WIDTH]
    assert [line.strip() for line in over] == [json.dumps(LONG_ARN) + ","]


def test_an_unknown_direction_is_folded_too() -> None:
    unknown = Unknown("B allows every request A allows", UnknownReason.TIMEOUT, "budget " * 30)
    text = _comparison(unknown, unknown, Relation.UNKNOWN).explain()
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert text.split().count("budget") == 60


def test_a_real_comparison_fits_the_page() -> None:
    catalog = Catalog.from_mapping({"s3": ["GetObject", "PutObject", "ListBucket"]})

    def policies(*statements: dict[str, Any]) -> PolicySet:
        document = {"Statement": list(statements)}
        return PolicySet(identity=(parse_policy(document, kind=PolicyKind.IDENTITY),))

    a = policies({"Effect": "Allow", "Action": "s3:Get*", "Resource": LONG_ARN})
    b = policies({"Effect": "Allow", "Action": "s3:List*", "Resource": "*"})
    result = compare(a, b, catalog=catalog)
    assert result.relation is Relation.INCOMPARABLE
    assert not [line for line in result.explain().splitlines() if _too_wide(line)]


def test_excess_folds_at_76_and_never_cuts_an_arn() -> None:
    cells = tuple(
        ExcessCell(f"service{i}:SomeRatherLongActionName{i}", 40, LONG_ARN, i % 2 == 0)
        for i in range(8)
    )
    text = Excess(cells).explain()
    assert not [line for line in text.splitlines() if _too_wide(line)], text
    assert text.count(LONG_ARN) == 3  # the three examples, each ARN whole


def test_conflicts_print_their_requests_as_json_that_fits_and_parses() -> None:
    catalog = Catalog.from_mapping({"s3": ["GetObject", "PutObject", "ListBucket"]})
    document = {
        "Statement": [
            {"Sid": "ReadTheLongBucket", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
            {"Sid": "ButNotThis", "Effect": "Deny", "Action": "s3:*", "Resource": LONG_ARN},
            {"Sid": "Everything", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
        ]
    }
    policy = parse_policy(document, name="a-policy-with-a-long-name", kind=PolicyKind.IDENTITY)
    report = find_conflicts([policy], catalog=catalog)
    assert report.findings
    text = report.explain()
    lines = text.splitlines()
    assert not [line for line in lines if _too_wide(line)], text
    assert any(finding.witness is not None for finding in report.findings)
    for finding in report.findings:
        shown = finding.explain().splitlines()
        if finding.witness is not None:
            start = next(i for i, line in enumerate(shown) if line.endswith("(replayed):"))
            assert json.loads("\n".join(shown[start + 1 :])) == finding.witness.to_json()
        # The message keeps its words: folding only moved the line breaks.
        heading = shown[: next(i for i, line in enumerate(shown) if line.startswith("  identity"))]
        assert " ".join(heading).split() == f"{finding.kind.value}: {finding.message}".split()
