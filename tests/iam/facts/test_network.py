from __future__ import annotations

from fmlab.iam.facts._network import (
    Endpoint,
    EndpointType,
    InternetGateway,
    NatGateway,
    Network,
    RouteKind,
    Subnet,
    Vpc,
    route_to_s3,
)

TOKYO = "ap-northeast-1"


def _network(routes: dict[str, str], *, endpoints: tuple[Endpoint, ...] = ()) -> Network:
    return Network.build(
        vpcs=[Vpc("vpc-a", "10.0.0.0/16", TOKYO)],
        subnets=[
            Subnet("subnet-a", "vpc-a", "10.0.1.0/24", routes),
            Subnet("subnet-nat", "vpc-a", "10.0.0.0/24", {"0.0.0.0/0": "igw-a"}),
        ],
        endpoints=endpoints,
        internet_gateways=[InternetGateway("igw-a", "vpc-a")],
        nat_gateways=[NatGateway("nat-a", "subnet-nat", "192.0.2.10")],
    )


GATEWAY = Endpoint("vpce-g", "vpc-a", EndpointType.GATEWAY)


def test_a_gateway_endpoint_route_beats_the_default_route() -> None:
    network = _network({"0.0.0.0/0": "nat-a", "s3": "vpce-g"}, endpoints=(GATEWAY,))
    route = route_to_s3(network, "subnet-a", TOKYO, public_ip=None)
    assert (route.kind, route.via, route.source_ip) == (RouteKind.ENDPOINT, "vpce-g", None)


def test_a_gateway_endpoint_serves_its_own_region_only() -> None:
    network = _network({"0.0.0.0/0": "nat-a", "s3": "vpce-g"}, endpoints=(GATEWAY,))
    route = route_to_s3(network, "subnet-a", "us-east-1", public_ip=None)
    assert (route.kind, route.via, route.source_ip) == (RouteKind.INTERNET, "nat-a", "192.0.2.10")


def test_an_endpoint_without_a_route_to_it_is_not_used() -> None:
    network = _network({"0.0.0.0/0": "igw-a"}, endpoints=(GATEWAY,))
    route = route_to_s3(network, "subnet-a", TOKYO, public_ip="198.51.100.7")
    assert (route.kind, route.source_ip) == (RouteKind.INTERNET, "198.51.100.7")


def test_an_interface_endpoint_with_private_dns_serves_the_whole_vpc() -> None:
    interface = Endpoint("vpce-i", "vpc-a", EndpointType.INTERFACE)
    network = _network({"0.0.0.0/0": "igw-a"}, endpoints=(interface,))
    route = route_to_s3(network, "subnet-a", TOKYO, public_ip="198.51.100.7")
    assert (route.kind, route.via) == (RouteKind.ENDPOINT, "vpce-i")
    hidden = Endpoint("vpce-i", "vpc-a", EndpointType.INTERFACE, private_dns=False)
    network = _network({"0.0.0.0/0": "igw-a"}, endpoints=(hidden,))
    assert route_to_s3(network, "subnet-a", TOKYO, public_ip="198.51.100.7").kind is (
        RouteKind.INTERNET
    )


def test_an_interface_endpoint_with_private_dns_takes_precedence_over_a_gateway_route() -> None:
    interface = Endpoint("vpce-i", "vpc-a", EndpointType.INTERFACE)
    both = (GATEWAY, interface)
    network = _network({"0.0.0.0/0": "nat-a", "s3": "vpce-g"}, endpoints=both)
    assert route_to_s3(network, "subnet-a", TOKYO, public_ip=None).via == "vpce-i"
    # "Private DNS only for inbound endpoints" leaves in-VPC traffic to the gateway.
    inbound = Endpoint("vpce-i", "vpc-a", EndpointType.INTERFACE, inbound_only=True)
    network = _network({"0.0.0.0/0": "nat-a", "s3": "vpce-g"}, endpoints=(GATEWAY, inbound))
    assert route_to_s3(network, "subnet-a", TOKYO, public_ip=None).via == "vpce-g"


def test_without_a_public_address_or_a_default_route_s3_is_unreachable() -> None:
    assert route_to_s3(
        _network({"0.0.0.0/0": "igw-a"}), "subnet-a", TOKYO, public_ip=None
    ).kind is (RouteKind.UNREACHABLE)
    assert route_to_s3(_network({}), "subnet-a", TOKYO, public_ip="198.51.100.7").kind is (
        RouteKind.UNREACHABLE
    )


def test_hosts_skip_the_addresses_aws_reserves() -> None:
    assert Subnet("s", "v", "10.0.1.0/24", {}).host(0) == "10.0.1.4"
