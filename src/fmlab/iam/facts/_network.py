"""VPCs, subnets, route tables, gateways and VPC endpoints: which way a request to S3 goes.

This module knows networking and nothing about IAM. Its one question is
:func:`route_to_s3`: from a subnet, to a bucket in some region, does traffic leave
through a VPC endpoint, through the internet (and with which public address), or not at
all? The rules it follows, in order:

1. an *interface* endpoint for S3 in the subnet's VPC with private DNS for all resolvers
   answers the S3 names inside the VPC with its own private addresses, so requests go to
   it whatever the route table says (same region only);
2. otherwise a route to the S3 prefix list (``"s3"`` here, a ``pl-...`` id in AWS) whose
   target is a *gateway* endpoint wins: it is more specific than any default route. A
   gateway endpoint serves buckets in its own region only. (An interface endpoint with
   private DNS "only for inbound endpoints" leaves in-VPC traffic to the gateway
   endpoint, as the AWS documentation describes that option; it serves on-premises
   clients, which this model does not have);
3. otherwise the default route ``0.0.0.0/0``: to an internet gateway the request leaves
   with the instance's public address (none: no way out), to a NAT gateway with the
   NAT gateway's public address;
4. otherwise S3 is unreachable.

>>> network = Network.build(
...     vpcs=[Vpc("vpc-a", "10.0.0.0/16", "ap-northeast-1")],
...     subnets=[Subnet("subnet-a", "vpc-a", "10.0.1.0/24", {"0.0.0.0/0": "igw-a"})],
...     internet_gateways=[InternetGateway("igw-a", "vpc-a")],
... )
>>> route_to_s3(network, "subnet-a", "ap-northeast-1", public_ip="198.51.100.7")
Route(kind=<RouteKind.INTERNET: 'internet'>, via='igw-a', endpoint=None, source_ip='198.51.100.7')
>>> route_to_s3(network, "subnet-a", "ap-northeast-1", public_ip=None).kind.value
'unreachable'
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fmlab.iam._model import Policy

S3_PREFIX_LIST = "s3"
"""The route destination standing for the S3 prefix list of the region."""
DEFAULT_ROUTE = "0.0.0.0/0"


@dataclass(frozen=True)
class Vpc:
    """A VPC: its address range and region."""

    id: str
    cidr: str
    region: str


@dataclass(frozen=True)
class Subnet:
    """A subnet of a VPC, with its route table."""

    id: str
    vpc: str
    cidr: str
    routes: Mapping[str, str]
    """Route table: destination (``"0.0.0.0/0"`` or ``"s3"``) to target id."""

    def host(self, number: int) -> str:
        """The ``number``-th usable address (AWS reserves the first four of a subnet)."""
        network = ipaddress.ip_network(self.cidr)
        return str(network.network_address + 4 + number)


class EndpointType(enum.Enum):
    """The two kinds of VPC endpoint for S3: gateway and interface."""

    GATEWAY = "gateway"
    INTERFACE = "interface"


@dataclass(frozen=True)
class Endpoint:
    """A VPC endpoint for S3. ``policy`` is the endpoint policy; AWS attaches a
    full-access default when none is given, which ``None`` stands for here."""

    id: str
    vpc: str
    type: EndpointType
    policy: Policy | None = None
    private_dns: bool = True
    """Interface endpoints: private DNS names for S3 in the VPC."""
    inbound_only: bool = False
    """Interface endpoints: private DNS "only for inbound endpoints" (on-premises)."""

    @property
    def captures_vpc_traffic(self) -> bool:
        """An interface endpoint whose private DNS answers S3 names inside its VPC."""
        return self.type is EndpointType.INTERFACE and self.private_dns and not self.inbound_only


@dataclass(frozen=True)
class InternetGateway:
    """An internet gateway attached to a VPC."""

    id: str
    vpc: str


@dataclass(frozen=True)
class NatGateway:
    """A NAT gateway in a subnet, with its public address."""

    id: str
    subnet: str
    public_ip: str


@dataclass(frozen=True)
class Network:
    """The VPCs, subnets, endpoints and gateways of a world, by id."""

    vpcs: Mapping[str, Vpc]
    subnets: Mapping[str, Subnet]
    endpoints: Mapping[str, Endpoint]
    internet_gateways: Mapping[str, InternetGateway]
    nat_gateways: Mapping[str, NatGateway]

    @classmethod
    def build(
        cls,
        *,
        vpcs: Iterable[Vpc] = (),
        subnets: Iterable[Subnet] = (),
        endpoints: Iterable[Endpoint] = (),
        internet_gateways: Iterable[InternetGateway] = (),
        nat_gateways: Iterable[NatGateway] = (),
    ) -> Network:
        return cls(
            {v.id: v for v in vpcs},
            {s.id: s for s in subnets},
            {e.id: e for e in endpoints},
            {g.id: g for g in internet_gateways},
            {n.id: n for n in nat_gateways},
        )

    def vpc_of(self, subnet: str) -> Vpc:
        return self.vpcs[self.subnets[subnet].vpc]


class RouteKind(enum.Enum):
    """How a subnet reaches S3: through an endpoint, the internet, or not at all."""

    ENDPOINT = "endpoint"
    INTERNET = "internet"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Route:
    """How traffic to S3 leaves a subnet: ``via`` is the endpoint or gateway id, and
    ``source_ip`` the public address S3 sees on the internet path."""

    kind: RouteKind
    via: str | None = None
    endpoint: Endpoint | None = None
    source_ip: str | None = None


# [start:route-to-s3]
def route_to_s3(network: Network, subnet: str, region: str, *, public_ip: str | None) -> Route:
    """The way a request from ``subnet`` (from an instance with ``public_ip``) reaches
    S3 in ``region``."""
    vpc = network.vpc_of(subnet)
    routes = network.subnets[subnet].routes
    same_region = vpc.region == region
    for endpoint in sorted(network.endpoints.values(), key=lambda e: e.id):
        if endpoint.captures_vpc_traffic and endpoint.vpc == vpc.id and same_region:
            return Route(RouteKind.ENDPOINT, endpoint.id, endpoint)
    target = routes.get(S3_PREFIX_LIST)
    gateway = network.endpoints.get(target) if target is not None else None
    if gateway is not None and gateway.type is EndpointType.GATEWAY and same_region:
        return Route(RouteKind.ENDPOINT, gateway.id, gateway)
    default = routes.get(DEFAULT_ROUTE)
    if default in network.internet_gateways and public_ip is not None:
        return Route(RouteKind.INTERNET, default, source_ip=public_ip)
    nat = network.nat_gateways.get(default) if default is not None else None
    if nat is not None:
        return Route(RouteKind.INTERNET, nat.id, source_ip=nat.public_ip)
    return Route(RouteKind.UNREACHABLE)


# [end:route-to-s3]
