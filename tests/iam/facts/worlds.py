"""The talk's world as a JSON document, with the policies as parameters.

Two VPCs in one account: ``vpc-app`` with a public subnet (internet gateway), a private
subnet (NAT gateway, and a gateway endpoint for S3), and ``vpc-other`` with one public
subnet. Three instances and two buckets.
"""

from __future__ import annotations

import copy
from typing import Any

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
REGION = "ap-northeast-1"
OFFICE = "198.51.100.0/24"

READ_ANY_BUCKET = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*/*"}],
}


def statement(effect: str, condition: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Effect": effect,
        "Principal": "*",
        "Action": "s3:*",
        "Resource": "arn:aws:s3:::example-reports/*",
    }
    if condition:
        out["Condition"] = condition
    out.update(extra)
    return out


def bucket_policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def document(
    *,
    reports_policy: dict[str, Any] | None = None,
    endpoint_policy: dict[str, Any] | None = None,
    other_endpoint: bool = False,
) -> dict[str, Any]:
    world: dict[str, Any] = {
        "vpcs": [
            {"id": "vpc-app", "cidr": "10.0.0.0/16", "region": REGION},
            {"id": "vpc-other", "cidr": "10.1.0.0/16", "region": REGION},
        ],
        "subnets": [
            {
                "id": "subnet-public",
                "vpc": "vpc-app",
                "cidr": "10.0.0.0/24",
                "routes": {"0.0.0.0/0": "igw-app"},
            },
            {
                "id": "subnet-private",
                "vpc": "vpc-app",
                "cidr": "10.0.1.0/24",
                "routes": {"0.0.0.0/0": "nat-app", "s3": "vpce-app"},
            },
            {
                "id": "subnet-other",
                "vpc": "vpc-other",
                "cidr": "10.1.0.0/24",
                "routes": {"0.0.0.0/0": "igw-other"},
            },
        ],
        "internet_gateways": [
            {"id": "igw-app", "vpc": "vpc-app"},
            {"id": "igw-other", "vpc": "vpc-other"},
        ],
        "nat_gateways": [{"id": "nat-app", "subnet": "subnet-public", "public_ip": "192.0.2.10"}],
        "endpoints": [{"id": "vpce-app", "vpc": "vpc-app", "type": "gateway"}],
        "roles": [
            {"arn": f"arn:aws:iam::{ACCOUNT}:role/web", "policies": [READ_ANY_BUCKET]},
            {"arn": f"arn:aws:iam::{ACCOUNT}:role/batch", "policies": [READ_ANY_BUCKET]},
        ],
        "instances": [
            {
                "id": "i-web",
                "subnet": "subnet-public",
                "private_ip": "10.0.0.10",
                "public_ip": "198.51.100.10",
                "role": f"arn:aws:iam::{ACCOUNT}:role/web",
            },
            {
                "id": "i-batch",
                "subnet": "subnet-private",
                "private_ip": "10.0.1.20",
                "role": f"arn:aws:iam::{ACCOUNT}:role/batch",
            },
            {
                "id": "i-legacy",
                "subnet": "subnet-other",
                "private_ip": "10.1.0.30",
                "public_ip": "203.0.113.30",
                "role": f"arn:aws:iam::{ACCOUNT}:role/batch",
            },
        ],
        "buckets": [
            {"name": "example-reports", "account": ACCOUNT, "region": REGION},
            {"name": "example-archive", "account": ACCOUNT, "region": REGION},
        ],
    }
    if reports_policy is not None:
        world["buckets"][0]["policy"] = copy.deepcopy(reports_policy)
    if endpoint_policy is not None:
        world["endpoints"][0]["policy"] = copy.deepcopy(endpoint_policy)
    if other_endpoint:
        world["endpoints"].append({"id": "vpce-other", "vpc": "vpc-other", "type": "gateway"})
        world["subnets"][2]["routes"]["s3"] = "vpce-other"
    return world
