from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fmlab.core.errors import InputError
from fmlab.iam.facts._world import load_world, parse_world
from tests.iam.facts.worlds import document


def test_the_talk_world_loads() -> None:
    world = parse_world(document())
    assert sorted(world.instances) == ["i-batch", "i-legacy", "i-web"]
    assert world.vpc_of("i-legacy") == "vpc-other"
    assert world.network.subnets["subnet-private"].routes["s3"] == "vpce-app"
    assert world.instances["i-batch"].public_ip is None


def test_placing_an_instance_gives_it_an_address_in_the_new_subnet() -> None:
    world = parse_world(document())
    moved = world.placed("i-legacy", "subnet-private")
    assert moved.instances["i-legacy"].subnet == "subnet-private"
    assert moved.instances["i-legacy"].private_ip.startswith("10.0.1.")
    assert world.instances["i-legacy"].subnet == "subnet-other"  # the original is unchanged
    assert world.placed("i-web", "subnet-public") is world


def _broken(edit: Any) -> dict[str, Any]:
    raw = document()
    edit(raw)
    return raw


@pytest.mark.parametrize(
    ("edit", "pointer", "message"),
    [
        (lambda d: d["vpcs"][1].update(cidr="10.1.0.0/33"), "/vpcs/1/cidr", "IPv4 CIDR"),
        (lambda d: d["subnets"][0].update(cidr="10.9.0.0/24"), "/subnets/0/cidr", "not inside"),
        (
            lambda d: d["subnets"][1]["routes"].update(s3="igw-app"),
            "/subnets/1/routes/s3",
            "not a gateway endpoint",
        ),
        (
            lambda d: d["subnets"][2]["routes"].update({"0.0.0.0/0": "igw-app"}),
            "/subnets/2/routes/0.0.0.0~10",
            "attached to vpc-app",
        ),
        (
            lambda d: d["instances"][0].update(private_ip="10.0.5.1"),
            "/instances/0/private_ip",
            "not inside",
        ),
        (lambda d: d["instances"][2].update(role="arn:x"), "/instances/2/role", 'no role "arn:x"'),
        (lambda d: d["instances"][1].update(id="i-web"), "/instances/1/id", "already the id"),
        (lambda d: d["endpoints"][0].update(type="Gateway"), "/endpoints/0/type", '"gateway"'),
        (
            lambda d: d["buckets"][0].update(
                policy={
                    "Statement": [
                        {"Effect": "allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}
                    ]
                }
            ),
            "/buckets/0/policy/Statement/0/Effect",
            "Allow",
        ),
        (lambda d: d["buckets"][1].update(account="12"), "/buckets/1/account", "12-digit"),
        (lambda d: d.update(vpc=[]), "/vpc", "unknown field"),
        (
            lambda d: d["subnets"][2]["routes"].update({"0.0.0.0/0": "nat-app"}),
            "/subnets/2/routes/0.0.0.0~10",
            "another VPC",
        ),
        (
            lambda d: d["subnets"][1]["routes"].update({"10.0.0.0/8": "igw-app"}),
            "/subnets/1/routes/10.0.0.0~18",
            "unsupported destination",
        ),
        (
            lambda d: d["endpoints"][0].update(private_dns="yes"),
            "/endpoints/0/private_dns",
            "true or false",
        ),
        (
            lambda d: d["roles"][0].update(arn="arn:aws:iam::111122223333:user/x"),
            "/roles/0/arn",
            "not a role ARN",
        ),
    ],
)
def test_bad_worlds_fail_with_the_pointer_of_the_bad_value(
    edit: Any, pointer: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_world(_broken(edit), source="world.json")
    assert caught.value.pointer == pointer
    assert message in caught.value.message
    assert "\n" not in str(caught.value)


def test_a_world_file_with_a_duplicate_key_is_rejected(tmp_path: Path) -> None:
    good = tmp_path / "world.json"
    good.write_text(json.dumps(document()))
    assert load_world(good).buckets["example-reports"].region == "ap-northeast-1"
    bad = tmp_path / "bad.json"
    bad.write_text('{"vpcs": [], "vpcs": []}')
    with pytest.raises(InputError) as caught:
        load_world(bad)
    assert caught.value.source == str(bad)
