"""Grant cells: the action groups the patterns tell apart, and the lazily counted rest."""

from __future__ import annotations

from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._grants import grant_cells
from fmlab.iam._templates import Form, TemplateSpace

SMALL = Catalog.from_mapping(
    {"s3": ["GetObject", "PutObject"], "sqs": ["SendMessage"], "sns": ["Publish", "Subscribe"]}
)


def test_every_other_service_is_one_group_counted_on_demand() -> None:
    space = TemplateSpace(("s3:GetObject", "s3:*", "*"), ("*",), 1, Form.ALLOW_ACTION)
    cells = grant_cells(space, SMALL, [])
    by_example = {g.example: g for g in cells.actions}
    assert by_example["s3:GetObject"].size == 1
    assert by_example["s3:PutObject"].size == 1
    others = by_example["sqs:SendMessage"]
    assert others.matches == (False, False, True)
    assert others.size == 3  # sqs:SendMessage, sns:Publish, sns:Subscribe


def test_a_group_the_patterns_cannot_tell_from_the_rest_counts_both() -> None:
    space = TemplateSpace(("s3:GetObject",), ("*",), 1, Form.ALLOW_ACTION)
    cells = grant_cells(space, SMALL, [])
    assert [(g.example, g.size) for g in cells.actions] == [
        ("s3:GetObject", 1),
        ("s3:PutObject", 4),  # PutObject and the three actions of sqs and sns
    ]


def test_the_real_catalog_total_matches_its_action_list() -> None:
    catalog = load_catalog()
    space = TemplateSpace(("s3:GetObject", "s3:*", "*"), ("*",), 1, Form.ALLOW_ACTION)
    cells = grant_cells(space, catalog, [])
    assert sum(g.size for g in cells.actions) == len(catalog.actions())
