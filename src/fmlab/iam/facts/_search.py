"""Questions over every placement at once, answered by z3 with a replayed witness world.

"Is there a subnet where instance i can read bucket b?", "can any instance outside
vpc-A read it?", "does the bucket policy shut the internet path?" range over facts:
which instance, in which subnet, hence which route and which request context. The
facts become z3 variables (``fact.instance``, ``fact.subnet``, ``fact.route``), and the
IAM decision is the formula of :class:`fmlab.iam._symbolic.Encoder`, unchanged.

How the two meet (the composition): the world is finite, so every (instance, subnet)
pair is one *candidate*; the network module derives its route and the compose module its
request, concretely, once. The candidate's request fixes the Encoder's request variables
(action, principal, resource, every context key's presence and values) through
:meth:`~fmlab.iam._symbolic.Encoder.pin`. The solver chooses the facts; the facts
constrain the request variables; the Encoder's formula decides. Neither the network
rules nor the IAM rules are written twice: routes come only from
:func:`~fmlab.iam.facts._network.route_to_s3`, decisions only from the Encoder (and, in
the replay, from the concrete evaluator).

A witness is replayed before it is shown: the instance is moved to the subnet the model
chose, the request derived afresh, and :func:`~fmlab.iam.facts._compose.decide` run on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import z3

from fmlab.core.errors import UnsupportedError
from fmlab.core.result import Proved, Refuted, Unknown, refute
from fmlab.core.solving import Satisfiability, solve, unknown_from
from fmlab.iam._evaluator import PolicySet
from fmlab.iam._model import Effect, Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._patterns import arn_matches
from fmlab.iam._request import Request, describe_principal, resource_account
from fmlab.iam._strings import StringSpaceError
from fmlab.iam._symbolic import RESOURCE_ACCOUNT_KEY, Encoder
from fmlab.iam._z3text import decode_string
from fmlab.iam.facts._compose import (
    Access,
    Outcome,
    Result,
    decide,
    derive_request,
    endpoint_policy_set,
    policies_for,
)
from fmlab.iam.facts._network import RouteKind
from fmlab.iam.facts._world import World


class Goal(enum.Enum):
    """What :func:`find_access` looks for: a request that is allowed, or one refused."""

    ALLOWED = "allowed"
    DENIED = "denied"
    """Reachable but refused (explicitly or implicitly); unreachable is not "denied"."""


@dataclass(frozen=True)
class Question:
    """Is there an instance (of ``instances``; ``None``: any) placed in a subnet (of
    ``subnets``; ``None``: only where it is now) whose access to an object of ``bucket``
    takes a route of ``routes`` and ends ``goal``?

    ``key`` names the object, or with ``*`` and ``?`` wildcards a pattern of keys: then
    the object key is one more unknown the solver chooses (no enumeration could)."""

    bucket: str
    action: str = "s3:GetObject"
    key: str = "data.csv"
    instances: frozenset[str] | None = None
    subnets: frozenset[str] | None = None
    routes: frozenset[RouteKind] = frozenset({RouteKind.ENDPOINT, RouteKind.INTERNET})
    goal: Goal = Goal.ALLOWED

    def claim(self) -> str:
        who = "any instance" if self.instances is None else ", ".join(sorted(self.instances))
        where = "where it is" if self.subnets is None else "in " + ", ".join(sorted(self.subnets))
        how = " or ".join(sorted(r.value for r in self.routes))
        return (
            f"no access by {who} ({where}) over {how} to {self.action} on "
            f"{self.bucket}/{self.key} is {self.goal.value}"
        )

    @property
    def key_is_pattern(self) -> bool:
        return "*" in self.key or "?" in self.key

    def access(self, instance: str, key: str | None = None) -> Access:
        return Access(instance, self.bucket, self.action, self.key if key is None else key)


@dataclass(frozen=True)
class Witness:
    """A world in which the question's access happens, and what happened."""

    instance: str
    subnet: str
    key: str
    world: World = field(repr=False)
    result: Result = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        request = self.result.request
        return {
            "instance": self.instance,
            "subnet": self.subnet,
            "key": self.key,
            "route": self.result.route.kind.value,
            "via": self.result.route.via,
            "outcome": self.result.outcome.value,
            "request": request.to_json() if request is not None else None,
        }

    def __str__(self) -> str:
        route = self.result.route
        via = f" via {route.via}" if route.via else ""
        if route.source_ip is not None:
            via += f" from {route.source_ip}"
        return (
            f"{self.instance} in {self.subnet}: {route.kind.value}{via} -> "
            f"{self.result.outcome.value} (object {self.key})"
        )


@dataclass(frozen=True)
class _Candidate:
    instance: str
    subnet: str
    route: RouteKind
    request: Request
    main: int
    """Index of the policy set (role and bucket) in the encoder."""
    gate: int | None
    """Index of the endpoint policy's set, ``None`` when no endpoint policy applies."""


def _subnets_for(world: World, question: Question, instance: str) -> list[str]:
    if question.subnets is None:
        return [world.instances[instance].subnet]
    return sorted(question.subnets)


def _goal_holds(question: Question, result: Result) -> bool:
    if result.route.kind not in question.routes or result.outcome is Outcome.UNREACHABLE:
        return False
    return result.allowed == (question.goal is Goal.ALLOWED)


def replay(world: World, question: Question, witness: Witness) -> bool:
    """Does the witness, re-derived from scratch, answer the question?"""
    bucket = world.buckets[question.bucket]
    if not arn_matches(bucket.object_arn(question.key), bucket.object_arn(witness.key)):
        return False
    placed = world.placed(witness.instance, witness.subnet)
    return _goal_holds(question, decide(placed, question.access(witness.instance, witness.key)))


def _collect(world: World, question: Question) -> tuple[list[_Candidate], list[PolicySet]]:
    """Every placement the question allows, with its concretely derived request, and the
    policy sets they need: one per role (with the bucket policy), one per endpoint policy."""
    candidates: list[_Candidate] = []
    sets: list[PolicySet] = []
    set_index: dict[tuple[str, str], int] = {}
    for instance in sorted(question.instances or world.instances):
        for subnet in _subnets_for(world, question, instance):
            placed = world.placed(instance, subnet)
            access = question.access(instance)
            route, request = derive_request(placed, access)
            if request is None or route.kind not in question.routes:
                continue
            main = set_index.setdefault(("role", placed.instances[instance].role.arn), len(sets))
            if main == len(sets):
                sets.append(policies_for(placed, access))
            gate = None
            endpoint = route.endpoint
            if endpoint is not None and endpoint.policy is not None:
                gate = set_index.setdefault(("endpoint", endpoint.id), len(sets))
                if gate == len(sets):
                    sets.append(endpoint_policy_set(endpoint.policy))
            candidates.append(_Candidate(instance, subnet, route.kind, request, main, gate))
    return candidates, sets


@dataclass(frozen=True)
class _Facts:
    """The fact variables and the domains their numbers index."""

    instances: list[str]
    subnets: list[str]
    instance: z3.ArithRef = field(default_factory=lambda: z3.Int("fact.instance"))
    subnet: z3.ArithRef = field(default_factory=lambda: z3.Int("fact.subnet"))
    route: z3.ArithRef = field(default_factory=lambda: z3.Int("fact.route"))


# [start:compose]
def _compose(
    encoder: Encoder,
    facts: _Facts,
    candidates: list[_Candidate],
    goal: Goal,
    *,
    free_resource: bool,
) -> list[z3.BoolRef]:
    """One formula per placement: "the facts are this placement, the request variables
    hold its request, and the Encoder's decision is the goal"."""
    allowed = [encoder.decision(i)[1] for i in range(len(encoder.policy_sets))]
    choices = []
    for candidate in candidates:
        chosen = z3.And(
            facts.instance == facts.instances.index(candidate.instance),
            facts.subnet == facts.subnets.index(candidate.subnet),
            facts.route == list(RouteKind).index(candidate.route),
        )
        pinned = _pin(encoder, candidate.request, free_resource=free_resource)
        if pinned is None:  # denied whatever the request variables hold (see _pin)
            if goal is Goal.DENIED:
                choices.append(chosen)
            continue
        decision = allowed[candidate.main]
        if candidate.gate is not None:
            decision = z3.And(decision, _gate(encoder, candidate.gate))
        if goal is Goal.DENIED:
            decision = z3.Not(decision)
        choices.append(z3.And(chosen, *pinned, decision))
    return choices


# [end:compose]


# [start:find-access]
def find_access(
    world: World, question: Question, *, timeout_ms: int | None = None
) -> Proved | Refuted[Witness] | Unknown:
    """Answer ``question`` over every placement it allows, with a replayed witness."""
    claim = question.claim()
    candidates, sets = _collect(world, question)
    bound = f"{len(candidates)} placements (instance, subnet) of the world"
    if not candidates:
        return Proved(claim, bound)
    objects = _objects_statement(world, question)
    if objects is not None:
        # Only so that the encoder's resource classes tell the keys asked about apart;
        # this policy set takes part in no decision.
        sets.append(PolicySet(identity=(objects,)))
        bound += f", any object key matching {question.key}"
    facts = _Facts(sorted(question.instances or world.instances), sorted(world.network.subnets))
    try:
        encoder = Encoder(
            sets,
            catalog=None,
            extra_requests=[c.request for c in candidates],
            root_user=False,
            enumerate_strings=objects is not None,  # the key is free: all its classes
            timeout_ms=timeout_ms,
        )
        choices = _compose(
            encoder, facts, candidates, question.goal, free_resource=objects is not None
        )
    except UnsupportedError as error:
        return Unknown(claim, error.reason, str(error))
    in_objects: z3.BoolRef = z3.BoolVal(True)
    if objects is not None:
        # The statement has Action "*" and no condition: it applies exactly when the
        # resource is one of the objects asked about.
        in_objects = encoder.applies(objects.statements[0], PolicyKind.IDENTITY)
    outcome = solve([*encoder.constraints, in_objects, z3.Or(choices)], timeout_ms=timeout_ms)
    if outcome.status is Satisfiability.UNSAT:
        return Proved(claim, bound)
    if outcome.status is Satisfiability.UNKNOWN or outcome.model is None:
        return unknown_from(claim, outcome)
    model = outcome.model
    instance = facts.instances[model.eval(facts.instance, model_completion=True).as_long()]
    subnet = facts.subnets[model.eval(facts.subnet, model_completion=True).as_long()]
    key = question.key if objects is None else _chosen_key(encoder, model, world, question)
    placed = world.placed(instance, subnet)
    witness = Witness(instance, subnet, key, placed, decide(placed, question.access(instance, key)))
    return refute(
        claim,
        witness,
        replay=lambda w: replay(world, question, w),
        replayed_by="the network module and the concrete IAM evaluator",
        bound=bound,
    )


# [end:find-access]


def _chosen_key(encoder: Encoder, model: z3.ModelRef, world: World, question: Question) -> str:
    """The object key the model chose for the free resource variable."""
    if isinstance(encoder.resource, z3.SeqRef):
        # An encoder may keep the resource as a z3 string (where policies compare it
        # with a policy variable's value): read the text itself.
        arn = decode_string(model, encoder.resource)
        return arn.removeprefix(world.buckets[question.bucket].object_arn(""))
    cell = model.eval(encoder.resource, model_completion=True).as_long()
    return _readable_key(encoder, cell, world, question)


def _readable_key(encoder: Encoder, cell: int, world: World, question: Question) -> str:
    """A key in the resource class the model chose: a plain one when the pattern filled
    with ordinary words lands in the same class (every policy then treats it alike),
    else the class's own representative, which may be odd (an empty key, say)."""
    bucket = world.buckets[question.bucket]
    for word in ("report.csv", "a", "x1"):
        key = question.key.replace("*", word).replace("?", "x")
        try:
            if encoder.resources.add_text(bucket.object_arn(key)) == cell:
                return key
        except StringSpaceError:
            continue  # z3 could not place this candidate: try the next one
    return encoder.resources.representative(cell).removeprefix(bucket.object_arn(""))


def _objects_statement(world: World, question: Question) -> Policy | None:
    """For a key pattern, a statement whose Resource is the objects asked about."""
    if not question.key_is_pattern:
        return None
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "*",
                "Resource": world.buckets[question.bucket].object_arn(question.key),
            }
        ],
    }
    return parse_policy(document, name="objects asked about", kind=PolicyKind.IDENTITY)


def _pin(
    encoder: Encoder, request: Request, *, free_resource: bool = False
) -> list[z3.BoolRef] | None:
    """Equalities fixing the encoder's request variables to ``request`` (all but the
    resource when ``free_resource``).

    When no policy set has a resource-based policy, the encoder encodes same-account
    requests only (``aws:ResourceAccount`` then stays absent and follows the principal).
    A cross-account request is then denied by every set (nobody on the resource side
    allows it), so ``None`` says "this candidate can never be allowed"."""
    if encoder.same_account_only:
        owner = resource_account(request)
        if owner != describe_principal(request.principal).account:
            return None
        context = {k: v for k, v in request.context.items() if k != RESOURCE_ACCOUNT_KEY}
        request = Request(request.principal, request.action, request.resource, context)
    pairs = encoder.pin(request)
    if free_resource:
        pairs = [(v, value) for v, value in pairs if not v.eq(encoder.resource)]
    return [variable == value for variable, value in pairs]


# [start:endpoint-gate]
def _gate(encoder: Encoder, set_index: int) -> z3.BoolRef:
    """The endpoint filter of :func:`~fmlab.iam.facts._compose.endpoint_passes`, read off
    the Encoder's per-statement formulas: no applicable Deny, some applicable Allow."""
    entries = encoder.statements(set_index)
    denies = [f for _k, s, f in entries if s.effect is Effect.DENY]
    allows = [f for _k, s, f in entries if s.effect is Effect.ALLOW]
    return z3.And(
        z3.Not(z3.Or(denies or [z3.BoolVal(False)])), z3.Or(allows or [z3.BoolVal(False)])
    )


# [end:endpoint-gate]


def answers(world: World, question: Question) -> list[Witness]:
    """Every placement answering ``question``, by plain enumeration with the concrete
    evaluator (the reference the differential tests compare :func:`find_access` with).
    Enumeration needs one object key: a key pattern is refused."""
    if question.key_is_pattern:
        raise ValueError(f"cannot enumerate the object keys matching {question.key}")
    found = []
    for instance in sorted(question.instances or world.instances):
        for subnet in _subnets_for(world, question, instance):
            placed = world.placed(instance, subnet)
            result = decide(placed, question.access(instance))
            if _goal_holds(question, result):
                found.append(Witness(instance, subnet, question.key, placed, result))
    return found
