"""From facts to a decision: the path a request takes, the context AWS builds, the verdict.

This is the glue between the fact modules and the IAM logic, and the only place that
knows both. An :class:`Access` ("instance i calls s3:GetObject on bucket b") becomes:

1. a :class:`~fmlab.iam.facts._network.Route` (the network module decides);
2. a :class:`~fmlab.iam._request.Request` whose context holds the keys AWS fills for that
   route: ``aws:SourceIp`` on the internet path; ``aws:SourceVpce``, ``aws:SourceVpc``
   and ``aws:VpcSourceIp`` (and no ``aws:SourceIp``) through a VPC endpoint; on both,
   ``aws:PrincipalArn``, ``aws:PrincipalAccount``, ``aws:ResourceAccount``,
   ``aws:RequestedRegion`` and ``aws:SecureTransport``;
3. a decision by the existing evaluator, on the role's identity policies (and boundary)
   with the bucket policy as the resource-based policy;
4. through an endpoint, the endpoint policy on top. AWS documents that an endpoint
   policy "does not override or replace" the identity and resource policies: it is one
   more resource-based policy that must also allow. So a request passes the endpoint
   when no applicable statement of the endpoint policy denies it and one allows it (the
   default policy allows everything). Which statements apply is the evaluator's
   :func:`~fmlab.iam._evaluator.applicable`, so the matching logic is not repeated here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from fmlab.iam._evaluator import Decision, Evaluation, PolicySet, applicable, evaluate
from fmlab.iam._model import Effect, Policy
from fmlab.iam._request import Request
from fmlab.iam.facts._network import Endpoint, Route, RouteKind, route_to_s3
from fmlab.iam.facts._world import World


@dataclass(frozen=True)
class Access:
    """``instance`` calls ``action`` on object ``key`` of ``bucket``."""

    instance: str
    bucket: str
    action: str = "s3:GetObject"
    key: str = "data.csv"


class Outcome(enum.Enum):
    """What becomes of a request sent from an instance: IAM's decision, or unreachable."""

    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"
    UNREACHABLE = "Unreachable"


@dataclass(frozen=True)
class Result:
    """Everything :func:`decide` found: the route, the request, and each evaluation."""

    outcome: Outcome
    route: Route
    request: Request | None
    evaluation: Evaluation | None
    endpoint_passes: bool | None
    """``None`` off the endpoint path."""

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOW


# [start:derive-request]
def derive_request(world: World, access: Access) -> tuple[Route, Request | None]:
    """The route an access takes and the request (with its context) S3 receives."""
    instance = world.instances[access.instance]
    bucket = world.buckets[access.bucket]
    route = route_to_s3(world.network, instance.subnet, bucket.region, public_ip=instance.public_ip)
    if route.kind is RouteKind.UNREACHABLE:
        return route, None
    context: dict[str, str] = {
        "aws:PrincipalArn": instance.role.arn,
        "aws:PrincipalAccount": instance.role.account,
        "aws:ResourceAccount": bucket.account,
        "aws:RequestedRegion": bucket.region,
        "aws:SecureTransport": "true",
    }
    if route.kind is RouteKind.ENDPOINT:
        assert route.endpoint is not None
        context["aws:SourceVpce"] = route.endpoint.id
        context["aws:SourceVpc"] = route.endpoint.vpc
        context["aws:VpcSourceIp"] = instance.private_ip
    else:
        assert route.source_ip is not None
        context["aws:SourceIp"] = route.source_ip
    request = Request.build(
        instance.session_arn, access.action, bucket.object_arn(access.key), context
    )
    return route, request


# [end:derive-request]


def policies_for(world: World, access: Access) -> PolicySet:
    """The IAM policies in play: the role's, and the bucket policy as resource policy."""
    role = world.instances[access.instance].role
    bucket = world.buckets[access.bucket]
    resource = (bucket.policy,) if bucket.policy is not None else ()
    return PolicySet(identity=role.policies, resource=resource, boundary=role.boundary)


def endpoint_policy_set(policy: Policy) -> PolicySet:
    """An endpoint policy in the slot whose statements name principals."""
    return PolicySet(resource=(policy,))


# [start:endpoint-filter]
def endpoint_passes(endpoint: Endpoint, request: Request) -> bool:
    """An endpoint lets a request through when its policy has an applicable Allow and no
    applicable Deny (no policy: the full-access default)."""
    if endpoint.policy is None:
        return True
    hits = applicable(endpoint_policy_set(endpoint.policy), request)
    effects = {hit.ref.effect for hit in hits}
    return Effect.DENY not in effects and Effect.ALLOW in effects


# [end:endpoint-filter]


def decide(world: World, access: Access) -> Result:
    """The whole decision for one access in one world."""
    route, request = derive_request(world, access)
    if request is None:
        return Result(Outcome.UNREACHABLE, route, None, None, None)
    evaluation = evaluate(policies_for(world, access), request)
    passes = None if route.endpoint is None else endpoint_passes(route.endpoint, request)
    if evaluation.decision is Decision.EXPLICIT_DENY:
        outcome = Outcome.EXPLICIT_DENY
    elif passes is False:
        # The endpoint refuses: explicitly when one of its statements denies.
        assert route.endpoint is not None
        assert route.endpoint.policy is not None
        hits = applicable(endpoint_policy_set(route.endpoint.policy), request)
        denied = any(hit.ref.effect is Effect.DENY for hit in hits)
        outcome = Outcome.EXPLICIT_DENY if denied else Outcome.IMPLICIT_DENY
    else:
        outcome = Outcome(evaluation.decision.value)
    return Result(outcome, route, request, evaluation, passes)
