"""Facts beyond IAM: networks, EC2 instances and S3 buckets, composed with the IAM logic.

The JAWS DAYS 2018 talk split its Alloy model into the IAM evaluation logic, S3 resources
and EC2 resources, and noted that keeping them apart without repeating logic was the hard
part. Here each private module knows one thing:

* ``_network``: VPCs, subnets, route tables, gateways and VPC endpoints, and the one
  question a network answers: which way does a packet to S3 go (:func:`route_to_s3`);
* ``_ec2``: instances, where they sit and which role they carry;
* ``_s3``: buckets, their regions, owners, policies and object ARNs;
* ``_world``: all of them together, read from JSON (:func:`load_world`);
* ``_compose``: from a path to the request context AWS builds, then the existing IAM
  evaluator (plus the endpoint policy as a filter): :func:`decide`;
* ``_search``: the same composition for every placement at once, with the IAM decision
  taken from :class:`fmlab.iam.Encoder`: :func:`find_access`;
* ``_draw``: a world as an :class:`~fmlab.core.instance.Instance`.

None of them evaluates a policy statement: that stays in :func:`fmlab.iam.evaluate` and
the symbolic engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.iam.facts._compose import Access, Outcome, Result, decide, derive_request
    from fmlab.iam.facts._draw import world_instance
    from fmlab.iam.facts._ec2 import Ec2Instance, Role
    from fmlab.iam.facts._network import (
        Endpoint,
        EndpointType,
        InternetGateway,
        NatGateway,
        Network,
        Route,
        RouteKind,
        Subnet,
        Vpc,
        route_to_s3,
    )
    from fmlab.iam.facts._s3 import Bucket
    from fmlab.iam.facts._search import Goal, Question, Witness, answers, find_access
    from fmlab.iam.facts._world import World, load_world, parse_world

__all__ = [
    "Access",
    "Bucket",
    "Ec2Instance",
    "Endpoint",
    "EndpointType",
    "Goal",
    "InternetGateway",
    "NatGateway",
    "Network",
    "Outcome",
    "Question",
    "Result",
    "Role",
    "Route",
    "RouteKind",
    "Subnet",
    "Vpc",
    "Witness",
    "World",
    "answers",
    "decide",
    "derive_request",
    "find_access",
    "load_world",
    "parse_world",
    "route_to_s3",
    "world_instance",
]

_HOMES = {
    "_network": (
        "Endpoint",
        "EndpointType",
        "InternetGateway",
        "NatGateway",
        "Network",
        "Route",
        "RouteKind",
        "Subnet",
        "Vpc",
        "route_to_s3",
    ),
    "_ec2": ("Ec2Instance", "Role"),
    "_s3": ("Bucket",),
    "_world": ("World", "load_world", "parse_world"),
    "_compose": ("Access", "Outcome", "Result", "decide", "derive_request"),
    "_search": ("Goal", "Question", "Witness", "answers", "find_access"),
    "_draw": ("world_instance",),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
