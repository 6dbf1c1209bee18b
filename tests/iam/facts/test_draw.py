from __future__ import annotations

from fmlab.iam.facts._compose import Access, decide
from fmlab.iam.facts._draw import INTERNET, world_instance
from fmlab.iam.facts._world import parse_world
from fmlab.viz import draw_instance
from tests.iam.facts.worlds import document


def test_the_endpoint_path_is_highlighted() -> None:
    world = parse_world(document())
    result = decide(world, Access("i-batch", "example-reports"))
    instance = world_instance(world, access=("i-batch", "example-reports", result))
    assert instance.highlight == {"i-batch", "subnet-private", "vpce-app", "example-reports"}
    assert ("vpce-app", "example-reports") in instance.relations["request"]
    assert instance.image("in", "i-batch") == {"subnet-private"}
    assert "vpce-app" in draw_instance(instance).source


def test_a_nat_path_goes_through_the_public_subnets_internet_gateway() -> None:
    raw = document()
    raw["buckets"][1]["region"] = "us-east-1"
    world = parse_world(raw)
    result = decide(world, Access("i-batch", "example-archive"))
    instance = world_instance(world, access=("i-batch", "example-archive", result))
    assert {"nat-app", "igw-app", INTERNET} <= instance.highlight
    assert ("igw-app", INTERNET) in instance.relations["request"]


def test_without_an_access_nothing_is_highlighted() -> None:
    instance = world_instance(parse_world(document()), title="the talk's world")
    assert not instance.highlight
    assert instance.title == "the talk's world"
    assert instance.signature_of("role/batch") == "Role"
