"""The excess report: what a policy grants beyond the allow list, checked on known policies."""

from __future__ import annotations

from fmlab.iam._catalog import Catalog
from fmlab.iam._excess import draw_excess, excess
from fmlab.iam._model import Policy
from fmlab.iam._parser import parse_policy
from fmlab.iam._spec import AccessSpec

CATALOG = Catalog.from_mapping(
    {"s3": ["GetObject", "PutObject", "ListBucket"], "sqs": ["SendMessage", "ReceiveMessage"]}
)
ALICE = "arn:aws:iam::111122223333:user/alice"
Q1, Q2 = "arn:aws:s3:::reports/q1.csv", "arn:aws:s3:::reports/q2.csv"
SPEC = AccessSpec.build([("s3:GetObject", Q1)], [("s3:PutObject", Q1)], principal=ALICE)


def _policy(*statements: dict[str, object]) -> Policy:
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)})


def test_a_policy_naming_only_the_allow_list_has_no_excess() -> None:
    exact = _policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": Q1})
    report = excess(exact, SPEC, catalog=CATALOG)
    assert report.cells == ()
    assert report.explain() == "grants nothing beyond the allow list"


def test_a_folder_wildcard_grants_the_other_objects_under_it() -> None:
    folder = _policy(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    )
    report = excess(folder, SPEC, catalog=CATALOG)
    # Written by hand: GetObject on any other object under reports/, nothing else.
    assert [(c.action, c.named) for c in report.cells] == [("s3:GetObject", False)]
    assert report.cells[0].resource.startswith("arn:aws:s3:::reports/")
    assert report.actions == 1


def test_the_deny_notaction_form_grants_every_other_service() -> None:
    open_form = _policy(
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
    )
    report = excess(open_form, SPEC, catalog=CATALOG)
    # Only s3:GetObject escapes the Deny, so the excess is GetObject on other resources.
    assert {c.action for c in report.cells} == {"s3:GetObject"}
    wide = _policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
    report = excess(wide, SPEC, catalog=CATALOG)
    assert report.actions == len(CATALOG)  # every catalog action, sqs included
    assert report.per_action()["s3:PutObject"] >= 1


def test_explain_counts_per_action_and_wraps() -> None:
    wide = _policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
    report = excess(wide, SPEC, catalog=CATALOG)
    text = report.explain(width=60)
    assert text.startswith(f"grants {len(report.cells)} request groups beyond the allow list")
    assert "resource groups per action: " in text
    assert "for example:" in text
    assert all(len(line) <= 60 for line in text.splitlines())
    payload = report.to_json()
    assert payload["request_groups"] == len(report.cells)
    assert payload["actions"] == len(CATALOG)
    assert payload["examples"][0]["action"] == report.cells[0].action


def test_the_drawing_marks_listed_beyond_and_refused_cells() -> None:
    from fmlab.iam._excess import CellState, _states
    from fmlab.iam._grants import grant_cells
    from fmlab.iam._templates import derive_space
    from fmlab.viz import to_svg

    folder = _policy(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    )
    exact = _policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": Q1})
    space = derive_space(SPEC, catalog=CATALOG)
    cells = grant_cells(space, CATALOG, [Q1])
    for policy, beyond in ((exact, 0), (folder, 1)):
        states = _states(policy, SPEC, cells)
        counts = {state: list(states.values()).count(state) for state in CellState}
        assert counts[CellState.LISTED] == 1  # GetObject on q1.csv
        assert counts[CellState.REFUSED] == 1  # PutObject on q1.csv
        assert counts[CellState.BEYOND] == beyond
        assert counts[CellState.BEYOND] == len(excess(policy, SPEC, catalog=CATALOG).cells)
    svg = to_svg(draw_excess({"exact": exact, "folder": folder}, SPEC, catalog=CATALOG))
    assert svg.count("\u2713") == 1 + 2  # the legend's tick and one per grid
    assert "s3:reports/*" in svg  # the folder's other objects, as a column
