"""The concrete evaluator: one request, all the policies that apply, one decision.

This is what the IAM Policy Simulator does, following the evaluation logic of the IAM
User Guide:

1. an applicable ``Deny`` in any policy decides: **ExplicitDeny**;
2. an RCP layer and an SCP layer, when present, must each contain an applicable Allow;
3. in one account, a resource policy that names the exact user or session allows on its
   own; one that names the *role* of a session still needs the boundary and the session
   policy; an identity policy Allow needs them too;
4. across accounts, the principal's side (identity, SCP, boundary, session) and the
   resource's side (resource policy, RCP) must both allow;
5. otherwise **ImplicitDeny**.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fmlab.iam._matching import PrincipalMatch, statement_applies, statement_principal
from fmlab.iam._model import Effect, Policy, PolicyKind, Statement
from fmlab.iam._request import PrincipalKind, Request, describe_principal, resource_account


class Decision(enum.Enum):
    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"


@dataclass(frozen=True)
class PolicySet:
    """The policies in play, by kind. ``None`` means "no policy of that kind applies"
    (no boundary set, no SCP layer), which differs from a layer that allows nothing."""

    identity: tuple[Policy, ...] = ()
    resource: tuple[Policy, ...] = ()
    boundary: tuple[Policy, ...] | None = None
    scp: tuple[Policy, ...] | None = None
    rcp: tuple[Policy, ...] | None = None
    session: tuple[Policy, ...] | None = None

    def of(self, kind: PolicyKind) -> tuple[Policy, ...] | None:
        value: tuple[Policy, ...] | None = getattr(self, kind.value)
        return value

    def policies(self) -> list[Policy]:
        """Every policy in play, of every kind."""
        return [policy for _kind, _index, policy in self.items()]

    def items(self) -> list[tuple[PolicyKind, int, Policy]]:
        out = []
        for kind in PolicyKind:
            for index, policy in enumerate(self.of(kind) or ()):
                out.append((kind, index, policy))
        return out


@dataclass(frozen=True)
class StatementRef:
    """Names one statement of one policy in a report."""

    kind: PolicyKind
    policy_index: int
    policy: str
    statement_index: int
    sid: str | None
    effect: Effect
    pointer: str

    @classmethod
    def of(
        cls, kind: PolicyKind, policy_index: int, policy: Policy, statement: Statement
    ) -> StatementRef:
        return cls(
            kind,
            policy_index,
            policy.name,
            statement.index,
            statement.sid,
            statement.effect,
            statement.pointer,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "policy": self.policy,
            "policy_index": self.policy_index,
            "statement": self.statement_index,
            "sid": self.sid,
            "effect": self.effect.value,
            "pointer": self.pointer,
        }

    def __str__(self) -> str:
        label = self.sid if self.sid else f"statement {self.statement_index}"
        return f"{self.kind.value} {self.policy} {label} ({self.effect.value})"


@dataclass(frozen=True)
class Evaluation:
    decision: Decision
    statements: tuple[StatementRef, ...]
    reason: str
    details: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "statements": [ref.to_json() for ref in self.statements],
            "reason": self.reason,
        }


@dataclass(frozen=True)
class _Hit:
    ref: StatementRef
    match: PrincipalMatch


def applicable(policies: PolicySet, request: Request) -> list[_Hit]:
    """Every statement that applies to ``request`` (with how it names the principal)."""
    hits = []
    for kind, index, policy in policies.items():
        for statement in policy.statements:
            how = (
                statement_principal(statement, request.principal)
                if kind.names_principals
                else PrincipalMatch.DIRECT
            )
            if how is PrincipalMatch.NONE:
                continue
            if statement_applies(statement, request, variables=policy.variables_enabled):
                hits.append(_Hit(StatementRef.of(kind, index, policy, statement), how))
    return hits


def evaluate(policies: PolicySet, request: Request) -> Evaluation:
    """Decide ``request`` against ``policies`` and say which statements decided it."""
    hits = applicable(policies, request)
    denies = tuple(hit.ref for hit in hits if hit.ref.effect is Effect.DENY)
    if denies:
        return Evaluation(Decision.EXPLICIT_DENY, denies, "an applicable statement denies")

    def allows(kind: PolicyKind, *matches: PrincipalMatch) -> list[StatementRef]:
        return [
            hit.ref
            for hit in hits
            if hit.ref.kind is kind
            and hit.ref.effect is Effect.ALLOW
            and (not matches or hit.match in matches)
        ]

    def implicit(reason: str) -> Evaluation:
        return Evaluation(Decision.IMPLICIT_DENY, (), reason)

    who = describe_principal(request.principal)
    owner = resource_account(request)
    gates: list[StatementRef] = []

    if policies.rcp is not None:
        rcp = allows(PolicyKind.RCP)
        if not rcp:
            return implicit("no resource control policy (RCP) allows the request")
        gates += rcp
    resource_any = allows(PolicyKind.RESOURCE)
    if who.account is None:
        # A service or anonymous caller has no identity side: only the resource decides.
        if resource_any:
            return Evaluation(Decision.ALLOW, (*gates, *resource_any), "a resource policy allows")
        return implicit("no resource-based policy allows this principal")

    if policies.scp is not None:
        scp = allows(PolicyKind.SCP)
        if not scp:
            return implicit("no service control policy (SCP) allows the request")
        gates += scp

    identity = allows(PolicyKind.IDENTITY)
    root = who.kind is PrincipalKind.ROOT
    cross_account = owner is not None and owner != who.account
    if cross_account:
        if not resource_any:
            return implicit(
                f"cross-account request: no resource-based policy in account {owner} allows it"
            )
        if not identity and not root:
            return implicit(
                "cross-account request: no identity-based policy in the principal's account "
                f"{who.account} allows it"
            )
        granting = [*identity, *resource_any]
    else:
        direct = allows(PolicyKind.RESOURCE, PrincipalMatch.DIRECT)
        if direct:
            return Evaluation(
                Decision.ALLOW,
                (*gates, *direct),
                "a resource-based policy names this principal directly",
            )
        via_role = allows(PolicyKind.RESOURCE, PrincipalMatch.ROLE)
        if not identity and not via_role and not root:
            return implicit("no identity-based or resource-based policy allows the request")
        granting = [*identity, *via_role]
    if root:
        return Evaluation(Decision.ALLOW, (*gates, *granting), "the account root user")

    if policies.boundary is not None:
        boundary = allows(PolicyKind.BOUNDARY)
        if not boundary:
            return implicit("the permissions boundary does not allow the request")
        gates += boundary
    if who.kind.is_session:
        if policies.session is not None:
            session = allows(PolicyKind.SESSION)
            if not session:
                return implicit("the session policy does not allow the request")
            gates += session
        elif who.kind is PrincipalKind.FEDERATED_USER:
            return implicit("a federated-user session without a session policy")
    return Evaluation(Decision.ALLOW, (*granting, *gates), "allowed")
