"""Benchmarks for ``fmlab.iam.facts``: placement questions on generated worlds.

A world has ``vpcs`` VPCs, each with a public subnet (internet gateway) and a private one
(gateway endpoint for S3), and ``instances`` instances spread over them with public
addresses outside the office range. The bucket policy admits the first VPC's endpoint and
the office range. The question "can any instance, placed in any subnet, read the bucket
over the internet?" has no witness, so both contenders must cover every placement:
``find_access`` (one z3 query over the Encoder's formula) and ``answers`` (the concrete
evaluator on each placement). The same question about any key under ``finance/`` has
only the solver as contender. Run ``python benchmarks/iam/bench_facts.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from fmlab.iam.facts._network import RouteKind
from fmlab.iam.facts._search import Question, answers, find_access
from fmlab.iam.facts._world import World, parse_world

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case, markdown_table, measure

ACCOUNT = "111122223333"
REGION = "ap-northeast-1"


def generated_world(vpcs: int, instances: int) -> World:
    read_any = {
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*/*"}]
    }
    document: dict[str, Any] = {
        "vpcs": [],
        "subnets": [],
        "internet_gateways": [],
        "endpoints": [],
        "roles": [
            {"arn": f"arn:aws:iam::{ACCOUNT}:role/app{r}", "policies": [read_any]} for r in range(3)
        ],
        "instances": [],
        "buckets": [
            {
                "name": "example-reports",
                "account": ACCOUNT,
                "region": REGION,
                "policy": {
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": "arn:aws:s3:::example-reports/*",
                            "Condition": {
                                "NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"},
                                "StringNotEquals": {"aws:SourceVpce": "vpce-0"},
                            },
                        }
                    ]
                },
            }
        ],
    }
    for v in range(vpcs):
        document["vpcs"].append({"id": f"vpc-{v}", "cidr": f"10.{v}.0.0/16", "region": REGION})
        document["internet_gateways"].append({"id": f"igw-{v}", "vpc": f"vpc-{v}"})
        document["endpoints"].append({"id": f"vpce-{v}", "vpc": f"vpc-{v}", "type": "gateway"})
        document["subnets"] += [
            {
                "id": f"subnet-{v}-pub",
                "vpc": f"vpc-{v}",
                "cidr": f"10.{v}.0.0/24",
                "routes": {"0.0.0.0/0": f"igw-{v}"},
            },
            {
                "id": f"subnet-{v}-priv",
                "vpc": f"vpc-{v}",
                "cidr": f"10.{v}.1.0/24",
                "routes": {"s3": f"vpce-{v}"},
            },
        ]
    for i in range(instances):
        v = i % vpcs
        document["instances"].append(
            {
                "id": f"i-{i}",
                "subnet": f"subnet-{v}-pub",
                "private_ip": f"10.{v}.0.{10 + i // vpcs}",
                "public_ip": f"203.0.113.{i % 250}",
                "role": f"arn:aws:iam::{ACCOUNT}:role/app{i % 3}",
            }
        )
    return parse_world(document)


SIZES = ((2, 4), (5, 20), (10, 50))


def cases() -> list[Case]:
    out = []
    for vpcs, instances in SIZES:
        world = generated_world(vpcs, instances)
        subnets = frozenset(world.network.subnets)
        question = Question(
            "example-reports", subnets=subnets, routes=frozenset({RouteKind.INTERNET})
        )
        params = {"vpcs": vpcs, "instances": instances, "placements": instances * len(subnets)}
        out.append(
            Case(
                "iam",
                "facts: any internet placement allowed?",
                "fmlab.iam.facts find_access (z3)",
                lambda w=world, q=question: find_access(w, q),
                params,
                repeat=3,
                check=lambda r: getattr(r, "proved", False),
            )
        )
        out.append(
            Case(
                "iam",
                "facts: any internet placement allowed?",
                "enumeration, concrete evaluator",
                lambda w=world, q=question: answers(w, q),
                params,
                repeat=3,
                baseline=True,
                check=lambda r: r == [],
            )
        )
        # With a key pattern there is nothing to enumerate: the solver alone.
        pattern = Question(
            "example-reports",
            key="finance/*",
            subnets=subnets,
            routes=frozenset({RouteKind.INTERNET}),
        )
        out.append(
            Case(
                "iam",
                "facts: any internet placement reads some finance/* object?",
                "fmlab.iam.facts find_access (z3)",
                lambda w=world, q=pattern: find_access(w, q),
                params,
                repeat=3,
                check=lambda r: getattr(r, "proved", False),
            )
        )
    return out


def main() -> None:
    measurements = [measure(case) for case in cases()]
    print(markdown_table(measurements))


if __name__ == "__main__":
    main()
