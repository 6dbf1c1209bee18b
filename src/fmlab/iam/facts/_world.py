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
A top-level ``"notes"`` value is ignored (room for comments).
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
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam.facts._ec2 import Ec2Instance, Role
from fmlab.iam.facts._network import (
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
from fmlab.iam.facts._s3 import Bucket

Path_ = list[str | int]


@dataclass(frozen=True)
class World:
    """A network, and the roles, instances and buckets placed in it."""

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


_SECTIONS = (
    "vpcs",
    "subnets",
    "internet_gateways",
    "nat_gateways",
    "endpoints",
    "roles",
    "instances",
    "buckets",
    "notes",
)


class _WorldReader(_Reader):
    """Reads the sections in dependency order, each into its own table."""

    def __init__(self, source: str | None) -> None:
        super().__init__(source)
        self.vpcs: dict[str, Vpc] = {}
        self.cidrs: dict[str, ipaddress.IPv4Network] = {}
        self.subnet_vpc: dict[str, str] = {}
        self.gateways: dict[str, InternetGateway] = {}
        self.nats: dict[str, NatGateway] = {}
        self.endpoints: dict[str, Endpoint] = {}
        self.subnets: dict[str, Subnet] = {}
        self.roles: dict[str, Role] = {}
        self.instances: dict[str, Ec2Instance] = {}
        self.buckets: dict[str, Bucket] = {}

    def read_vpcs(self, top: dict[str, Any]) -> None:
        for path, raw in self.items(top, "vpcs"):
            item = self.fields(raw, path, ("id", "cidr", "region"))
            name = self.new_id(item["id"], [*path, "id"])
            self.cidrs[name] = self.network(item["cidr"], [*path, "cidr"])
            region = self.text(item["region"], [*path, "region"])
            self.vpcs[name] = Vpc(name, str(self.cidrs[name]), region)

    def read_gateways(self, top: dict[str, Any]) -> None:
        for path, raw in self.items(top, "internet_gateways"):
            item = self.fields(raw, path, ("id", "vpc"))
            name = self.new_id(item["id"], [*path, "id"])
            vpc = self.reference(item["vpc"], [*path, "vpc"], self.vpcs, "VPC")
            self.gateways[name] = InternetGateway(name, vpc)

    def read_endpoints(self, top: dict[str, Any]) -> None:
        optional = ("policy", "private_dns", "private_dns_inbound_only")
        for path, raw in self.items(top, "endpoints"):
            item = self.fields(raw, path, ("id", "vpc", "type"), optional)
            name = self.new_id(item["id"], [*path, "id"])
            try:
                kind = EndpointType(item["type"])
            except ValueError:
                raise self.fail([*path, "type"], 'expected "gateway" or "interface"') from None
            private_dns = self.flag(item, path, "private_dns", default=True)
            inbound_only = self.flag(item, path, "private_dns_inbound_only", default=False)
            policy = None
            if "policy" in item:
                policy = self.policy(item["policy"], [*path, "policy"], name, PolicyKind.RESOURCE)
            vpc = self.reference(item["vpc"], [*path, "vpc"], self.vpcs, "VPC")
            self.endpoints[name] = Endpoint(name, vpc, kind, policy, private_dns, inbound_only)

    def flag(self, item: dict[str, Any], path: Path_, name: str, *, default: bool) -> bool:
        value = item.get(name, default)
        if not isinstance(value, bool):
            raise self.fail([*path, name], "expected true or false")
        return value

    def read_subnets(self, top: dict[str, Any]) -> list[tuple[Path_, dict[str, Any]]]:
        """The subnets without their routes (those may name NAT gateways, which are
        read after the subnets they sit in)."""
        pending = []
        for path, raw in self.items(top, "subnets"):
            item = self.fields(raw, path, ("id", "vpc", "cidr"), ("routes",))
            name = self.new_id(item["id"], [*path, "id"])
            vpc = self.reference(item["vpc"], [*path, "vpc"], self.vpcs, "VPC")
            block = self.network(item["cidr"], [*path, "cidr"])
            if not block.subnet_of(self.cidrs[vpc]):
                raise self.fail([*path, "cidr"], f"{block} is not inside {vpc} ({self.cidrs[vpc]})")
            self.cidrs[name] = block
            self.subnet_vpc[name] = vpc
            pending.append((path, item))
        return pending

    def read_nats(self, top: dict[str, Any]) -> None:
        for path, raw in self.items(top, "nat_gateways"):
            item = self.fields(raw, path, ("id", "subnet", "public_ip"))
            name = self.new_id(item["id"], [*path, "id"])
            subnet = self.reference(item["subnet"], [*path, "subnet"], self.subnet_vpc, "subnet")
            address = self.address(item["public_ip"], [*path, "public_ip"])
            self.nats[name] = NatGateway(name, subnet, str(address))

    def read_routes(self, pending: list[tuple[Path_, dict[str, Any]]]) -> None:
        for path, item in pending:
            name = item["id"]
            routes = item.get("routes", {})
            if not isinstance(routes, dict):
                raise self.fail([*path, "routes"], "expected an object from destination to target")
            checked = {
                destination: self.route(name, destination, target, [*path, "routes", destination])
                for destination, target in routes.items()
            }
            self.subnets[name] = Subnet(name, self.subnet_vpc[name], str(self.cidrs[name]), checked)

    def route(self, subnet: str, destination: str, raw: Any, where: Path_) -> str:
        """One route's target, checked against its destination and the subnet's VPC."""
        target = self.text(raw, where)
        vpc = self.subnet_vpc[subnet]
        if destination == S3_PREFIX_LIST:
            endpoint = self.endpoints.get(target)
            if endpoint is None or endpoint.type is not EndpointType.GATEWAY:
                raise self.fail(where, f'"{target}" is not a gateway endpoint')
            if endpoint.vpc != vpc:
                raise self.fail(where, f"{target} belongs to {endpoint.vpc}, not {vpc}")
        elif destination == DEFAULT_ROUTE:
            if target in self.gateways:
                if self.gateways[target].vpc != vpc:
                    raise self.fail(where, f"{target} is attached to {self.gateways[target].vpc}")
            elif target in self.nats:
                if self.subnet_vpc[self.nats[target].subnet] != vpc:
                    raise self.fail(where, f"{target} is in another VPC")
            else:
                raise self.fail(where, f'"{target}" is not an internet or NAT gateway')
        else:
            raise self.fail(
                where, f'unsupported destination "{destination}" (use "0.0.0.0/0" or "s3")'
            )
        return target

    def read_roles(self, top: dict[str, Any]) -> None:
        for path, raw in self.items(top, "roles"):
            item = self.fields(raw, path, ("arn",), ("policies", "boundary"))
            arn = self.new_id(item["arn"], [*path, "arn"])
            where = [*path, "policies"]
            policies = self.policies(item.get("policies", []), where, arn, PolicyKind.IDENTITY)
            boundary = None
            if "boundary" in item:
                where = [*path, "boundary"]
                boundary = self.policies(item["boundary"], where, arn, PolicyKind.BOUNDARY)
            try:
                self.roles[arn] = Role(arn, policies, boundary)
            except ValueError as error:
                raise self.fail([*path, "arn"], str(error)) from None

    def read_instances(self, top: dict[str, Any]) -> None:
        required = ("id", "subnet", "private_ip", "role")
        for path, raw in self.items(top, "instances"):
            item = self.fields(raw, path, required, ("public_ip",))
            name = self.new_id(item["id"], [*path, "id"])
            subnet = self.reference(item["subnet"], [*path, "subnet"], self.subnets, "subnet")
            private = self.address(item["private_ip"], [*path, "private_ip"])
            if private not in self.cidrs[subnet]:
                block = self.cidrs[subnet]
                raise self.fail(
                    [*path, "private_ip"], f"{private} is not inside {subnet} ({block})"
                )
            public = None
            if item.get("public_ip") is not None:
                public = str(self.address(item["public_ip"], [*path, "public_ip"]))
            role = self.roles[self.reference(item["role"], [*path, "role"], self.roles, "role")]
            self.instances[name] = Ec2Instance(name, subnet, str(private), public, role)

    def read_buckets(self, top: dict[str, Any]) -> None:
        for path, raw in self.items(top, "buckets"):
            item = self.fields(raw, path, ("name", "account", "region"), ("policy",))
            name = self.new_id(item["name"], [*path, "name"])
            account = self.text(item["account"], [*path, "account"])
            if not (len(account) == 12 and account.isdigit()):
                raise self.fail([*path, "account"], "expected a 12-digit account id")
            policy = None
            if "policy" in item:
                policy = self.policy(item["policy"], [*path, "policy"], name, PolicyKind.RESOURCE)
            region = self.text(item["region"], [*path, "region"])
            self.buckets[name] = Bucket(name, account, region, policy)


def parse_world(document: Any, *, source: str | None = None) -> World:
    """Build a :class:`World` from its JSON form (see the module docstring)."""
    read = _WorldReader(source)
    top = read.fields(document, [], (), _SECTIONS)
    read.read_vpcs(top)
    read.read_gateways(top)
    read.read_endpoints(top)
    pending = read.read_subnets(top)
    read.read_nats(top)
    read.read_routes(pending)
    read.read_roles(top)
    read.read_instances(top)
    read.read_buckets(top)
    network = Network(read.vpcs, read.subnets, read.endpoints, read.gateways, read.nats)
    return World(network, read.roles, read.instances, read.buckets)


def load_world(path: str | Path) -> World:
    """Read a world file (``-`` for standard input)."""
    name = str(path)
    return parse_world(load_json_file(path), source=name)
