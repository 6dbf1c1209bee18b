"""A world: network, roles, instances and buckets together, and its JSON form.

The file format (every list may be empty or absent; ids are unique across the file)::

    {
      "vpcs": [{"id": "vpc-a", "cidr": "10.0.0.0/16", "region": "ap-northeast-1"}],
      "subnets": [{"id": "subnet-a", "vpc": "vpc-a", "cidr": "10.0.1.0/24",
                   "routes": {"0.0.0.0/0": "igw-a", "s3": "vpce-a"}}],
      "internet_gateways": [{"id": "igw-a", "vpc": "vpc-a"}],
      "nat_gateways": [{"id": "nat-a", "subnet": "subnet-a", "public_ip": "203.0.113.9"}],
      "endpoints": [{"id": "vpce-a", "vpc": "vpc-a", "type": "gateway", "policy": {...}},
                    {"id": "vpce-i", "vpc": "vpc-a", "type": "interface",
                     "private_dns": true, "private_dns_inbound_only": false}],
      "roles": [{"arn": "arn:aws:iam::111122223333:role/app", "policies": [{...}],
                 "boundary": [{...}]}],
      "instances": [{"id": "i-app", "subnet": "subnet-a", "private_ip": "10.0.1.10",
                     "public_ip": "198.51.100.7", "role": "arn:aws:iam::...:role/app"}],
      "buckets": [{"name": "example-logs", "account": "111122223333",
                   "region": "ap-northeast-1", "policy": {...}}]
    }

Route destinations are ``"0.0.0.0/0"`` (target an internet or NAT gateway) and ``"s3"``
(the S3 prefix list; target a gateway endpoint). Policies are inline policy documents.
Bad input raises :class:`~fmlab.core.errors.InputError` with the JSON pointer.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError
from fmlab.core.jsonio import json_pointer, load_json_file
from fmlab.iam.facts.ec2 import Ec2Instance, Role
from fmlab.iam.facts.network import (
    DEFAULT_ROUTE,
    S3_PREFIX_LIST,
    Endpoint,
    EndpointType,
    InternetGateway,
    NatGateway,
    Network,
    Subnet,
    Vpc,
)
from fmlab.iam.facts.s3 import Bucket
from fmlab.iam.model import Policy, PolicyKind
from fmlab.iam.parser import parse_policy

Path_ = list[str | int]


@dataclass(frozen=True)
class World:
    network: Network
    roles: Mapping[str, Role]
    instances: Mapping[str, Ec2Instance]
    buckets: Mapping[str, Bucket]

    def placed(self, instance: str, subnet: str) -> World:
        """The world with ``instance`` launched in ``subnet`` instead (unchanged when it
        is there already). It takes a fresh private address of that subnet."""
        current = self.instances[instance]
        if current.subnet == subnet:
            return self
        number = sorted(self.instances).index(instance)
        moved = current.placed(subnet, self.network.subnets[subnet].host(number))
        return replace(self, instances={**self.instances, instance: moved})

    def vpc_of(self, instance: str) -> str:
        return self.network.subnets[self.instances[instance].subnet].vpc


class _Reader:
    """Reads the JSON document, failing with the pointer of the first bad value."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.seen: dict[str, str] = {}

    def fail(self, path: Path_, message: str) -> InputError:
        return InputError(message, source=self.source, pointer=json_pointer(path) or "/")

    def fields(
        self, raw: Any, path: Path_, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(path, "expected an object")
        for key in raw:
            if key not in required and key not in optional:
                raise self.fail([*path, key], f'unknown field "{key}"')
        for key in required:
            if key not in raw:
                raise self.fail(path, f'missing "{key}"')
        return raw

    def text(self, raw: Any, path: Path_) -> str:
        if not isinstance(raw, str) or not raw:
            raise self.fail(path, "expected a non-empty string")
        return raw

    def new_id(self, raw: Any, path: Path_) -> str:
        name = self.text(raw, path)
        if name in self.seen:
            raise self.fail(path, f'"{name}" is already the id of {self.seen[name]}')
        self.seen[name] = json_pointer(path)
        return name

    def reference(self, raw: Any, path: Path_, known: Mapping[str, Any], what: str) -> str:
        name = self.text(raw, path)
        if name not in known:
            raise self.fail(path, f'no {what} "{name}"')
        return name

    def network(self, raw: Any, path: Path_) -> ipaddress.IPv4Network:
        text = self.text(raw, path)
        try:
            return ipaddress.IPv4Network(text)
        except ValueError:
            raise self.fail(
                path, f'expected an IPv4 CIDR block such as "10.0.0.0/16", got "{text}"'
            ) from None

    def address(self, raw: Any, path: Path_) -> ipaddress.IPv4Address:
        text = self.text(raw, path)
        try:
            return ipaddress.IPv4Address(text)
        except ValueError:
            raise self.fail(path, f'expected an IPv4 address, got "{text}"') from None

    def items(self, document: dict[str, Any], key: str) -> list[tuple[Path_, Any]]:
        raw = document.get(key, [])
        if not isinstance(raw, list):
            raise self.fail([key], "expected a list")
        return [([key, index], item) for index, item in enumerate(raw)]

    def policy(self, raw: Any, path: Path_, name: str, kind: PolicyKind) -> Policy:
        try:
            return parse_policy(raw, source=self.source, name=name, kind=kind)
        except InputError as error:
            # Re-anchor the policy's own pointer inside the world document.
            inner = error.pointer if error.pointer not in (None, "/") else ""
            raise InputError(
                error.message, source=self.source, pointer=json_pointer(path) + (inner or "")
            ) from None

    def policies(self, raw: Any, path: Path_, name: str, kind: PolicyKind) -> tuple[Policy, ...]:
        if not isinstance(raw, list):
            raise self.fail(path, "expected a list of policies")
        return tuple(
            self.policy(item, [*path, i], f"{name}[{i}]", kind) for i, item in enumerate(raw)
        )


def parse_world(document: Any, *, source: str | None = None) -> World:
    """Build a :class:`World` from its JSON form (see the module docstring)."""
    read = _Reader(source)
    top = read.fields(
        document,
        [],
        (),
        (
            "vpcs",
            "subnets",
            "internet_gateways",
            "nat_gateways",
            "endpoints",
            "roles",
            "instances",
            "buckets",
            "notes",
        ),
    )
    vpcs: dict[str, Vpc] = {}
    cidrs: dict[str, ipaddress.IPv4Network] = {}
    for path, raw in read.items(top, "vpcs"):
        item = read.fields(raw, path, ("id", "cidr", "region"))
        name = read.new_id(item["id"], [*path, "id"])
        cidrs[name] = read.network(item["cidr"], [*path, "cidr"])
        vpcs[name] = Vpc(name, str(cidrs[name]), read.text(item["region"], [*path, "region"]))
    gateways: dict[str, InternetGateway] = {}
    for path, raw in read.items(top, "internet_gateways"):
        item = read.fields(raw, path, ("id", "vpc"))
        name = read.new_id(item["id"], [*path, "id"])
        gateways[name] = InternetGateway(
            name, read.reference(item["vpc"], [*path, "vpc"], vpcs, "VPC")
        )
    endpoints: dict[str, Endpoint] = {}
    for path, raw in read.items(top, "endpoints"):
        item = read.fields(
            raw, path, ("id", "vpc", "type"), ("policy", "private_dns", "private_dns_inbound_only")
        )
        name = read.new_id(item["id"], [*path, "id"])
        try:
            kind = EndpointType(item["type"])
        except ValueError:
            raise read.fail([*path, "type"], 'expected "gateway" or "interface"') from None
        flags = []
        for flag, default in (("private_dns", True), ("private_dns_inbound_only", False)):
            value = item.get(flag, default)
            if not isinstance(value, bool):
                raise read.fail([*path, flag], "expected true or false")
            flags.append(value)
        private_dns, inbound_only = flags
        policy = None
        if "policy" in item:
            policy = read.policy(item["policy"], [*path, "policy"], name, PolicyKind.RESOURCE)
        vpc = read.reference(item["vpc"], [*path, "vpc"], vpcs, "VPC")
        endpoints[name] = Endpoint(name, vpc, kind, policy, private_dns, inbound_only)
    # Subnets name NAT gateways and NAT gateways name subnets: read the subnets'
    # routes once the NAT gateways are known.
    subnet_items: list[tuple[Path_, dict[str, Any], str]] = []
    for path, raw in read.items(top, "subnets"):
        item = read.fields(raw, path, ("id", "vpc", "cidr"), ("routes",))
        name = read.new_id(item["id"], [*path, "id"])
        vpc = read.reference(item["vpc"], [*path, "vpc"], vpcs, "VPC")
        block = read.network(item["cidr"], [*path, "cidr"])
        if not block.subnet_of(cidrs[vpc]):
            raise read.fail([*path, "cidr"], f"{block} is not inside {vpc} ({cidrs[vpc]})")
        cidrs[name] = block
        subnet_items.append((path, item, vpc))
    nats: dict[str, NatGateway] = {}
    subnet_ids = {name for _p, item, _v in subnet_items for name in [item["id"]]}
    for path, raw in read.items(top, "nat_gateways"):
        item = read.fields(raw, path, ("id", "subnet", "public_ip"))
        name = read.new_id(item["id"], [*path, "id"])
        subnet = read.reference(
            item["subnet"], [*path, "subnet"], dict.fromkeys(subnet_ids), "subnet"
        )
        address = read.address(item["public_ip"], [*path, "public_ip"])
        nats[name] = NatGateway(name, subnet, str(address))
    subnets: dict[str, Subnet] = {}
    for path, item, vpc in subnet_items:
        routes = item.get("routes", {})
        if not isinstance(routes, dict):
            raise read.fail([*path, "routes"], "expected an object from destination to target")
        checked: dict[str, str] = {}
        for destination, target in routes.items():
            where = [*path, "routes", destination]
            target = read.text(target, where)
            if destination == S3_PREFIX_LIST:
                endpoint = endpoints.get(target)
                if endpoint is None or endpoint.type is not EndpointType.GATEWAY:
                    raise read.fail(where, f'"{target}" is not a gateway endpoint')
                if endpoint.vpc != vpc:
                    raise read.fail(where, f"{target} belongs to {endpoint.vpc}, not {vpc}")
            elif destination == DEFAULT_ROUTE:
                if target in gateways:
                    if gateways[target].vpc != vpc:
                        raise read.fail(where, f"{target} is attached to {gateways[target].vpc}")
                elif target in nats:
                    if _subnets_vpc(subnet_items, nats[target].subnet) != vpc:
                        raise read.fail(where, f"{target} is in another VPC")
                else:
                    raise read.fail(where, f'"{target}" is not an internet or NAT gateway')
            else:
                raise read.fail(
                    where, f'unsupported destination "{destination}" (use "0.0.0.0/0" or "s3")'
                )
            checked[destination] = target
        name = item["id"]
        subnets[name] = Subnet(name, vpc, str(cidrs[name]), checked)
    roles: dict[str, Role] = {}
    for path, raw in read.items(top, "roles"):
        item = read.fields(raw, path, ("arn",), ("policies", "boundary"))
        arn = read.new_id(item["arn"], [*path, "arn"])
        policies = read.policies(
            item.get("policies", []), [*path, "policies"], arn, PolicyKind.IDENTITY
        )
        boundary = None
        if "boundary" in item:
            boundary = read.policies(
                item["boundary"], [*path, "boundary"], arn, PolicyKind.BOUNDARY
            )
        try:
            roles[arn] = Role(arn, policies, boundary)
        except ValueError as error:
            raise read.fail([*path, "arn"], str(error)) from None
    instances: dict[str, Ec2Instance] = {}
    for path, raw in read.items(top, "instances"):
        item = read.fields(raw, path, ("id", "subnet", "private_ip", "role"), ("public_ip",))
        name = read.new_id(item["id"], [*path, "id"])
        subnet = read.reference(item["subnet"], [*path, "subnet"], subnets, "subnet")
        private = read.address(item["private_ip"], [*path, "private_ip"])
        if private not in cidrs[subnet]:
            raise read.fail(
                [*path, "private_ip"], f"{private} is not inside {subnet} ({cidrs[subnet]})"
            )
        public = None
        if item.get("public_ip") is not None:
            public = str(read.address(item["public_ip"], [*path, "public_ip"]))
        role = roles[read.reference(item["role"], [*path, "role"], roles, "role")]
        instances[name] = Ec2Instance(name, subnet, str(private), public, role)
    buckets: dict[str, Bucket] = {}
    for path, raw in read.items(top, "buckets"):
        item = read.fields(raw, path, ("name", "account", "region"), ("policy",))
        name = read.new_id(item["name"], [*path, "name"])
        account = read.text(item["account"], [*path, "account"])
        if not (len(account) == 12 and account.isdigit()):
            raise read.fail([*path, "account"], "expected a 12-digit account id")
        policy = None
        if "policy" in item:
            policy = read.policy(item["policy"], [*path, "policy"], name, PolicyKind.RESOURCE)
        buckets[name] = Bucket(name, account, read.text(item["region"], [*path, "region"]), policy)
    network = Network(vpcs, subnets, endpoints, gateways, nats)
    return World(network, roles, instances, buckets)


def _subnets_vpc(items: list[tuple[Path_, dict[str, Any], str]], subnet: str) -> str | None:
    return next((vpc for _p, item, vpc in items if item["id"] == subnet), None)


def load_world(path: str | Path) -> World:
    """Read a world file (``-`` for standard input)."""
    name = str(path)
    return parse_world(load_json_file(path), source=name)
