from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.core.result import Refuted, Unknown, UnknownReason
from fmlab.iam._patterns import arn_matches
from fmlab.iam.facts._network import RouteKind
from fmlab.iam.facts._search import Goal, Question, Witness, answers, find_access, replay
from fmlab.iam.facts._world import parse_world
from tests.iam.facts.worlds import (
    ACCOUNT,
    OFFICE,
    OTHER_ACCOUNT,
    bucket_policy,
    document,
    statement,
)

FIXED = bucket_policy(
    statement(
        "Deny",
        {
            "NotIpAddress": {"aws:SourceIp": OFFICE},
            "StringNotEquals": {"aws:SourceVpce": "vpce-app"},
        },
    )
)
ENDPOINT_ONLY = bucket_policy(
    statement("Deny", {"StringNotEquals": {"aws:SourceVpce": "vpce-app"}})
)
SUBNETS = frozenset({"subnet-public", "subnet-private", "subnet-other"})


def test_some_placement_lets_the_legacy_instance_read_and_the_witness_is_replayed() -> None:
    world = parse_world(document(reports_policy=FIXED))
    stays = find_access(world, Question("example-reports", instances=frozenset({"i-legacy"})))
    assert stays.proved
    moved = find_access(
        world, Question("example-reports", instances=frozenset({"i-legacy"}), subnets=SUBNETS)
    )
    assert isinstance(moved, Refuted)
    witness = moved.witness
    assert (witness.instance, witness.subnet, witness.result.route.via) == (
        "i-legacy",
        "subnet-private",
        "vpce-app",
    )
    assert witness.result.allowed
    assert "10.0.1." in witness.to_json()["request"]["context"]["aws:vpcsourceip"]


def test_the_office_cidr_keeps_an_internet_path_open_and_the_strict_policy_closes_it() -> None:
    internet = Question("example-reports", subnets=SUBNETS, routes=frozenset({RouteKind.INTERNET}))
    open_path = find_access(parse_world(document(reports_policy=FIXED)), internet)
    assert isinstance(open_path, Refuted)
    assert open_path.witness.result.request is not None
    assert open_path.witness.result.request.value("aws:SourceIp") == ("198.51.100.10",)
    closed = find_access(parse_world(document(reports_policy=ENDPOINT_ONLY)), internet)
    assert closed.proved


def test_a_denied_access_is_found_too() -> None:
    world = parse_world(document(reports_policy=ENDPOINT_ONLY))
    found = find_access(world, Question("example-reports", goal=Goal.DENIED))
    assert isinstance(found, Refuted)
    assert found.witness.instance in {"i-web", "i-legacy"}


def test_a_witness_that_does_not_replay_is_not_shown() -> None:
    world = parse_world(document(reports_policy=ENDPOINT_ONLY))
    question = Question("example-reports")
    result = find_access(world, question)
    assert isinstance(result, Refuted)
    wrong = Witness("i-web", "subnet-public", "data.csv", world, result.witness.result)
    assert not replay(world, question, wrong)


def test_an_endpoint_policy_closes_the_endpoint_path_for_the_solver_too() -> None:
    archive_denied = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::example-reports/*",
            }
        ]
    }
    world = parse_world(document(endpoint_policy=archive_denied))
    endpoint = frozenset({RouteKind.ENDPOINT})
    archive = Question("example-archive", subnets=SUBNETS, routes=endpoint)
    assert find_access(world, archive).proved
    refused = find_access(world, Question("example-archive", routes=endpoint, goal=Goal.DENIED))
    assert isinstance(refused, Refuted)
    assert refused.witness.result.endpoint_passes is False
    assert find_access(world, Question("example-reports", routes=endpoint)).refuted


def test_each_instance_is_judged_by_its_own_roles_policies() -> None:
    raw = document()
    raw["roles"][1]["policies"] = []  # the batch role may read nothing
    world = parse_world(raw)
    found = find_access(world, Question("example-reports", subnets=SUBNETS))
    assert isinstance(found, Refuted)
    assert found.witness.instance == "i-web"
    batch_role = frozenset({"i-batch", "i-legacy"})
    assert find_access(
        world, Question("example-reports", instances=batch_role, subnets=SUBNETS)
    ).proved


FINANCE_VIA_ENDPOINT = bucket_policy(
    statement(
        "Deny",
        {"StringNotEquals": {"aws:SourceVpce": "vpce-app"}},
        Resource="arn:aws:s3:::example-reports/finance/*",
    )
)


def test_the_object_key_can_be_an_unknown_too() -> None:
    world = parse_world(document(reports_policy=FINANCE_VIA_ENDPOINT))
    web = frozenset({"i-web"})
    anything = find_access(world, Question("example-reports", key="*", instances=web))
    assert isinstance(anything, Refuted)
    assert not anything.witness.key.startswith("finance/")
    finance = Question("example-reports", key="finance/*", instances=web)
    assert find_access(world, finance).proved  # from the public subnet: no endpoint
    moved = find_access(world, replace(finance, subnets=SUBNETS))
    assert isinstance(moved, Refuted)
    assert moved.witness.subnet == "subnet-private"
    batch = Question("example-reports", key="finance/*", instances=frozenset({"i-batch"}))
    found = find_access(world, batch)
    assert isinstance(found, Refuted)
    assert found.witness.key.startswith("finance/")
    assert found.witness.result.route.via == "vpce-app"


def test_enumeration_refuses_a_key_pattern() -> None:
    with pytest.raises(ValueError, match="cannot enumerate"):
        answers(parse_world(document()), Question("example-reports", key="finance/*"))


# --- differential: the solver's answer against enumeration with the concrete evaluator ---

CONDITIONS: list[dict[str, Any]] = [
    {"NotIpAddress": {"aws:SourceIp": OFFICE}},
    {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "192.0.2.0/24"]}},
    {"StringNotEquals": {"aws:SourceVpce": "vpce-app"}},
    {"StringEquals": {"aws:SourceVpce": "vpce-iface"}},
    {"StringEquals": {"aws:SourceVpc": "vpc-other"}},
    {"IpAddress": {"aws:VpcSourceIp": "10.0.1.0/24"}},
    {"Null": {"aws:SourceIp": "true"}},
    {"ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/web"}},
    {"StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-app"}},
]


@st.composite
def _statements(draw: st.DrawFn, resource: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Effect": draw(st.sampled_from(["Allow", "Deny"])),
        "Principal": draw(st.sampled_from(["*", {"AWS": f"arn:aws:iam::{ACCOUNT}:role/batch"}])),
        "Action": draw(st.sampled_from(["s3:*", "s3:GetObject", "s3:PutObject"])),
        "Resource": resource,
    }
    condition: dict[str, Any] = {}
    for item in draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)):
        for operator, body in item.items():
            condition.setdefault(operator, {}).update(body)
    if condition:
        out["Condition"] = condition
    return out


@st.composite
def worlds(draw: st.DrawFn) -> dict[str, Any]:
    reports = None
    if draw(st.booleans()):
        reports = {
            "Statement": draw(
                st.lists(
                    _statements(
                        draw(
                            st.sampled_from(
                                [
                                    "arn:aws:s3:::example-reports/*",
                                    "arn:aws:s3:::example-reports/finance/*",
                                ]
                            )
                        )
                    ),
                    min_size=1,
                    max_size=3,
                )
            )
        }
    endpoint = None
    if draw(st.booleans()):
        endpoint = {
            "Statement": draw(st.lists(_statements("arn:aws:s3:::*"), min_size=1, max_size=2))
        }
    raw = document(
        reports_policy=reports, endpoint_policy=endpoint, other_endpoint=draw(st.booleans())
    )
    if draw(st.booleans()):
        interface: dict[str, Any] = {
            "id": "vpce-iface",
            "vpc": draw(st.sampled_from(["vpc-app", "vpc-other"])),
            "type": "interface",
            "private_dns": draw(st.booleans()),
            "private_dns_inbound_only": draw(st.booleans()),
        }
        if draw(st.booleans()):
            interface["policy"] = {
                "Statement": draw(st.lists(_statements("arn:aws:s3:::*"), min_size=1, max_size=2))
            }
        raw["endpoints"].append(interface)
    if draw(st.booleans()):
        del raw["instances"][0]["public_ip"]
    if draw(st.booleans()):
        raw["buckets"][0]["region"] = "us-east-1"
    if draw(st.booleans()):
        raw["buckets"][0]["account"] = OTHER_ACCOUNT
    if draw(st.booleans()):
        raw["roles"][1]["policies"] = []
    return raw


@st.composite
def questions(draw: st.DrawFn) -> Question:
    names = ["i-web", "i-batch", "i-legacy"]
    chosen = draw(st.none() | st.sets(st.sampled_from(names), min_size=1).map(frozenset))
    routes = draw(st.sets(st.sampled_from(list(RouteKind)), min_size=1).map(frozenset))
    return Question(
        "example-reports",
        action=draw(st.sampled_from(["s3:GetObject", "s3:PutObject"])),
        instances=chosen,
        subnets=draw(st.sampled_from([None, SUBNETS])),
        routes=routes,
        goal=draw(st.sampled_from(list(Goal))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), questions())
def test_the_solver_agrees_with_enumerating_placements(
    raw: dict[str, Any], question: Question
) -> None:
    world = parse_world(raw)
    expected = answers(world, question)
    found = find_access(world, question)
    assert not isinstance(found, Unknown), found.explain()
    assert found.refuted == bool(expected)
    if isinstance(found, Refuted):
        assert (found.witness.instance, found.witness.subnet) in {
            (w.instance, w.subnet) for w in expected
        }


def test_a_cross_account_bucket_without_any_resource_policy_is_denied_to_everyone() -> None:
    # No resource-based policy anywhere: the encoder reasons about same-account requests
    # only, and the cross-account candidates are denied without asking it.
    raw = document()
    raw["buckets"][0]["account"] = OTHER_ACCOUNT
    world = parse_world(raw)
    assert find_access(world, Question("example-reports", subnets=SUBNETS)).proved
    denied = find_access(world, Question("example-reports", goal=Goal.DENIED))
    assert isinstance(denied, Refuted)
    assert denied.witness.result.outcome.value == "ImplicitDeny"


SAMPLE_KEYS = ("data.csv", "finance/pay.csv", "finance/", "x")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), questions(), st.sampled_from(["*", "finance/*", "f*/?ay.csv"]))
def test_a_key_pattern_agrees_with_every_sample_key(
    raw: dict[str, Any], question: Question, pattern: str
) -> None:
    world = parse_world(raw)
    found = find_access(world, replace(question, key=pattern))
    assert not isinstance(found, Unknown), found.explain()
    bucket = world.buckets["example-reports"]
    samples = [
        k for k in SAMPLE_KEYS if arn_matches(bucket.object_arn(pattern), bucket.object_arn(k))
    ]
    if any(answers(world, replace(question, key=k)) for k in samples):
        assert found.refuted
    if isinstance(found, Refuted):  # replayed already; its key must fit the pattern
        assert arn_matches(bucket.object_arn(pattern), bucket.object_arn(found.witness.key))


def test_a_policy_variable_is_unknown_or_answered_never_wrongly_proved() -> None:
    # Whether the symbolic engine encodes ${...} depends on its version; either way the
    # answer is not "proved" (the account's own folder is readable) and not a crash.
    own_folder = bucket_policy(
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "NotResource": "arn:aws:s3:::example-reports/${aws:PrincipalAccount}/*",
        }
    )
    own_folder["Version"] = "2012-10-17"
    world = parse_world(document(reports_policy=own_folder))
    found = find_access(world, Question("example-reports", key="*"))
    assert not found.proved
    if isinstance(found, Unknown):
        assert found.reason is UnknownReason.UNSUPPORTED
    else:
        assert found.witness.key.startswith(f"{ACCOUNT}/")
