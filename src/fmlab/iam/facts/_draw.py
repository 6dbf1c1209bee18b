"""A world as a relational :class:`~fmlab.core.instance.Instance`, ready for
:func:`fmlab.viz.draw_instance`, with an access's path highlighted.

Signatures: VPC, Subnet, Instance, Role, Endpoint, Gateway (internet and NAT), Bucket,
and the Internet. Relations: ``in`` (where things live), ``acts_as`` (instance to role),
``route`` (subnet to the next hop of its default or S3 route), ``uplink`` (gateway to the
internet) and, for a highlighted access, ``request`` (instance to the hop its request to
S3 leaves by, and that hop to the bucket).
"""

from __future__ import annotations

from fmlab.core.instance import Instance
from fmlab.iam.facts._compose import Result
from fmlab.iam.facts._network import RouteKind
from fmlab.iam.facts._world import World

INTERNET = "internet"


def _role_atom(arn: str) -> str:
    return "role/" + arn.rsplit("/", 1)[-1]


def world_instance(
    world: World,
    *,
    access: tuple[str, str, Result] | None = None,
    title: str | None = None,
) -> Instance:
    """The world's facts as atoms and relations. ``access`` is ``(instance, bucket,
    result)``: its path (instance, subnet, hop, bucket) is highlighted."""
    network = world.network
    atoms = {
        "VPC": sorted(network.vpcs),
        "Subnet": sorted(network.subnets),
        "Instance": sorted(world.instances),
        "Role": sorted({_role_atom(i.role.arn) for i in world.instances.values()}),
        "Endpoint": sorted(network.endpoints),
        "Gateway": sorted([*network.internet_gateways, *network.nat_gateways]),
        "Bucket": sorted(world.buckets),
        "Internet": [INTERNET],
    }
    located = [(s.id, s.vpc) for s in network.subnets.values()]
    located += [(e.id, e.vpc) for e in network.endpoints.values()]
    located += [(g.id, g.vpc) for g in network.internet_gateways.values()]
    located += [(n.id, n.subnet) for n in network.nat_gateways.values()]
    located += [(i.id, i.subnet) for i in world.instances.values()]
    relations: dict[str, list[tuple[str, str]]] = {
        "in": located,
        "acts_as": [(i.id, _role_atom(i.role.arn)) for i in world.instances.values()],
        "route": [(s.id, hop) for s in network.subnets.values() for hop in s.routes.values()],
        "uplink": [(g, INTERNET) for g in network.internet_gateways],
    }
    highlight: list[str] = []
    if access is not None:
        instance, bucket, result = access
        subnet = world.instances[instance].subnet
        highlight = [instance, subnet, bucket]
        route = result.route
        if route.via is not None:
            highlight.append(route.via)
            hops = [(instance, route.via)]
            if route.kind is RouteKind.INTERNET:
                highlight.append(INTERNET)
                hops.append((INTERNET, bucket))
                if route.via in network.nat_gateways:
                    # The NAT gateway forwards through its own subnet's internet gateway.
                    nat_subnet = network.subnets[network.nat_gateways[route.via].subnet]
                    uplink = nat_subnet.routes.get("0.0.0.0/0")
                    if uplink is not None:
                        highlight.append(uplink)
                        hops += [(route.via, uplink), (uplink, INTERNET)]
                    else:
                        hops.append((route.via, INTERNET))
                else:
                    hops.append((route.via, INTERNET))
            else:
                hops.append((route.via, bucket))
            relations["request"] = hops
    return Instance.build(atoms, relations, highlight=highlight, title=title)
