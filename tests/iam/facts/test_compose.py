"""The documented tricky cases of network context, each as one access in the talk's world."""

from __future__ import annotations

from fmlab.iam.facts._compose import Access, Outcome, decide, derive_request
from fmlab.iam.facts._network import RouteKind
from fmlab.iam.facts._world import parse_world
from tests.iam.facts.worlds import OFFICE, OTHER_ACCOUNT, bucket_policy, document, statement

READ = "example-reports"


def test_through_a_vpc_endpoint_the_request_has_no_source_ip() -> None:
    world = parse_world(document())
    route, request = derive_request(world, Access("i-batch", READ))
    assert route.kind is RouteKind.ENDPOINT
    assert request is not None
    assert request.value("aws:SourceIp") is None
    assert request.value("aws:SourceVpce") == ("vpce-app",)
    assert request.value("aws:SourceVpc") == ("vpc-app",)
    assert request.value("aws:VpcSourceIp") == ("10.0.1.20",)
    assert request.principal == "arn:aws:sts::111122223333:assumed-role/batch/i-batch"
    assert request.value("aws:PrincipalArn") == ("arn:aws:iam::111122223333:role/batch",)


def test_over_the_internet_the_request_has_a_public_source_ip_and_no_vpc_keys() -> None:
    world = parse_world(document())
    _, web = derive_request(world, Access("i-web", READ))
    assert web is not None
    assert web.value("aws:SourceIp") == ("198.51.100.10",)
    assert web.value("aws:SourceVpce") is None
    assert web.value("aws:VpcSourceIp") is None
    # Behind a NAT gateway (for a bucket the endpoint does not serve) S3 sees the NAT's address.
    raw = document()
    raw["buckets"][1]["region"] = "us-east-1"
    _, batch = derive_request(parse_world(raw), Access("i-batch", "example-archive"))
    assert batch is not None
    assert batch.value("aws:SourceIp") == ("192.0.2.10",)


NAIVE = bucket_policy(statement("Deny", {"NotIpAddress": {"aws:SourceIp": OFFICE}}))
FIXED = bucket_policy(
    statement(
        "Deny",
        {
            "NotIpAddress": {"aws:SourceIp": OFFICE},
            "StringNotEquals": {"aws:SourceVpce": "vpce-app"},
        },
    )
)


def test_a_not_ip_address_deny_locks_out_the_endpoint_path() -> None:
    world = parse_world(document(reports_policy=NAIVE))
    # aws:SourceIp is absent through the endpoint, and a negated operator on an absent
    # key is true: the Deny applies to the instance with the most private path.
    assert decide(world, Access("i-batch", READ)).outcome is Outcome.EXPLICIT_DENY
    assert decide(world, Access("i-web", READ)).outcome is Outcome.ALLOW  # from the office CIDR
    assert decide(world, Access("i-legacy", READ)).outcome is Outcome.EXPLICIT_DENY


def test_and_ing_the_endpoint_into_the_deny_lets_both_paths_in() -> None:
    world = parse_world(document(reports_policy=FIXED))
    outcomes = {i: decide(world, Access(i, READ)).outcome for i in world.instances}
    assert outcomes == {
        "i-batch": Outcome.ALLOW,
        "i-web": Outcome.ALLOW,
        "i-legacy": Outcome.EXPLICIT_DENY,
    }


def test_an_instance_in_the_other_vpc_is_denied_by_source_vpc() -> None:
    only_app_vpc = bucket_policy(
        statement("Deny", {"StringNotEquals": {"aws:SourceVpc": "vpc-app"}})
    )
    world = parse_world(document(reports_policy=only_app_vpc, other_endpoint=True))
    legacy = decide(world, Access("i-legacy", READ))
    assert legacy.route.via == "vpce-other"
    assert legacy.request is not None
    assert legacy.request.value("aws:SourceVpc") == ("vpc-other",)
    assert legacy.outcome is Outcome.EXPLICIT_DENY
    assert decide(world, Access("i-batch", READ)).outcome is Outcome.ALLOW


def test_an_endpoint_policy_filters_on_top_of_identity_and_bucket_policies() -> None:
    reports_only = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::example-reports/*",
            }
        ]
    }
    world = parse_world(document(endpoint_policy=reports_only))
    archive = decide(world, Access("i-batch", "example-archive"))
    assert archive.evaluation is not None
    assert archive.evaluation.decision.value == "Allow"
    assert archive.endpoint_passes is False
    assert archive.outcome is Outcome.IMPLICIT_DENY
    assert decide(world, Access("i-batch", READ)).outcome is Outcome.ALLOW
    # The endpoint policy never touches the internet path.
    assert decide(world, Access("i-web", "example-archive")).outcome is Outcome.ALLOW
    with_deny = {
        "Statement": [
            *reports_only["Statement"],
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/batch"}
                },
            },
        ]
    }
    denied = decide(parse_world(document(endpoint_policy=with_deny)), Access("i-batch", READ))
    assert denied.outcome is Outcome.EXPLICIT_DENY


def test_a_bucket_in_another_account_needs_its_bucket_policy_too() -> None:
    raw = document()
    raw["buckets"][1]["account"] = OTHER_ACCOUNT
    world = parse_world(raw)
    assert decide(world, Access("i-batch", "example-archive")).outcome is Outcome.IMPLICIT_DENY
    raw["buckets"][1]["policy"] = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:role/batch"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::example-archive/*",
            }
        ]
    }
    granted = decide(parse_world(raw), Access("i-batch", "example-archive"))
    assert granted.outcome is Outcome.ALLOW


def test_no_way_out_is_unreachable_not_denied() -> None:
    raw = document()
    del raw["instances"][0]["public_ip"]
    result = decide(parse_world(raw), Access("i-web", READ))
    assert (result.outcome, result.request) == (Outcome.UNREACHABLE, None)
