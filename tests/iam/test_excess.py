"""The excess report: what a policy grants beyond the allow list, checked on known policies."""

from __future__ import annotations

from fmlab.iam._catalog import Catalog
from fmlab.iam._excess import excess
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
