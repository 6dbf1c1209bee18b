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

Two service rules and one boundary rule sit on top (each cited in the tests):

* a **KMS key** is used only if its key policy allows: an identity policy (or the root
  user's own access) grants nothing on a key whose key policy neither names the principal
  nor "enables IAM policies" by allowing the account;
* a resource-policy **Deny with NotPrincipal** applies to every IAM principal that has a
  permissions boundary attached, whatever the NotPrincipal names;
* ``Principal: "*"`` counts as naming a session directly for its boundary but not for its
  session policy (an undocumented case: see ``fmlab.iam._readings``).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fmlab.iam._matching import (
    PrincipalMatch,
    names_role_of_session,
    statement_applies,
    statement_principal,
)
from fmlab.iam._model import Effect, Policy, PolicyKind, SetQualifier, Statement
from fmlab.iam._patterns import arn_matches
from fmlab.iam._pause import paused_collector
from fmlab.iam._readings import FMLAB, Readings, ReadingWarning, Undocumented
from fmlab.iam._request import (
    PrincipalInfo,
    PrincipalKind,
    Request,
    describe_principal,
    resource_account,
)


class Decision(enum.Enum):
    """IAM's answer to a request: allowed, explicitly denied, or denied by default."""

    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"


@dataclass(frozen=True)
class PolicySet:
    """The policies in play, by kind. ``None`` means "no policy of that kind applies"
    (no boundary set, no SCP layer). An empty tuple means the same as ``None``: users
    write ``[]`` for "none of this kind", and no AWS account runs with zero SCPs
    attached. A layer that allows nothing is spelled as a policy with no Allow in it,
    for example ``{"Statement": []}``."""

    identity: tuple[Policy, ...] = ()
    resource: tuple[Policy, ...] = ()
    boundary: tuple[Policy, ...] | None = None
    scp: tuple[Policy, ...] | None = None
    rcp: tuple[Policy, ...] | None = None
    session: tuple[Policy, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("boundary", "scp", "rcp", "session"):
            if getattr(self, name) == ():
                object.__setattr__(self, name, None)

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
    """A request's decision, the statements that decided it, and why."""

    decision: Decision
    statements: tuple[StatementRef, ...]
    reason: str
    details: Mapping[str, Any] = field(default_factory=dict, compare=False)
    warnings: tuple[ReadingWarning, ...] = ()
    """Set when the decision rests on a case the AWS documentation does not decide."""

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "statements": [ref.to_json() for ref in self.statements],
            "reason": self.reason,
            "undocumented": [warning.to_json() for warning in self.warnings],
        }


@dataclass(frozen=True)
class _Hit:
    ref: StatementRef
    match: PrincipalMatch


def applicable(policies: PolicySet, request: Request, readings: Readings = FMLAB) -> list[_Hit]:
    """Every statement that applies to ``request`` (with how it names the principal)."""
    hits = []
    bounded = policies.boundary is not None
    for kind, index, policy in policies.items():
        for statement in policy.statements:
            how = (
                statement_principal(
                    statement, request.principal, bounded=bounded, readings=readings
                )
                if kind.names_principals
                else PrincipalMatch.DIRECT
            )
            if how is PrincipalMatch.NONE:
                continue
            if statement_applies(
                statement, request, variables=policy.variables_enabled, readings=readings
            ):
                hits.append(_Hit(StatementRef.of(kind, index, policy, statement), how))
    return hits


KMS_KEY_PATTERN = "arn:?*:kms:*:*:key/?*"
"""Which resources are KMS keys (an ARN pattern, read by both engines)."""


def is_kms_key(resource: str) -> bool:
    """A KMS key ARN: its key policy must allow, or enable IAM policies, for any access."""
    return arn_matches(KMS_KEY_PATTERN, resource)


def evaluate(policies: PolicySet, request: Request) -> Evaluation:
    """Decide ``request`` against ``policies`` and say which statements decided it.

    When the decision rests on a case the AWS documentation leaves open (see
    ``fmlab.iam._readings``), the evaluation carries a warning naming it and the
    decision the other reading gives."""
    with paused_collector():
        result = decide(policies, request, FMLAB)
        warnings = tuple(
            ReadingWarning(case, other.decision.value)
            for case in undocumented_cases(policies, request)
            if (other := decide(policies, request, FMLAB.flipped(case))).decision
            is not result.decision
        )
    return dataclasses.replace(result, warnings=warnings) if warnings else result


def undocumented_cases(policies: PolicySet, request: Request) -> list[Undocumented]:
    """The undocumented cases present in this evaluation (cheap checks, no decision)."""
    found = []
    who = describe_principal(request.principal)
    statements = [(kind, s) for kind, _i, p in policies.items() for s in p.statements]
    if any(
        c.operator.qualifier is SetQualifier.FOR_ANY_VALUE
        and c.operator.if_exists
        and not request.context.get(c.key_lower)
        for _kind, s in statements
        for c in s.conditions
    ):
        found.append(Undocumented.FOR_ANY_VALUE_IF_EXISTS)
    resource_side = [s for kind, s in statements if kind.names_principals]
    if who.kind is PrincipalKind.ROLE_SESSION and any(
        names_role_of_session(s, request.principal) for s in resource_side
    ):
        found.append(Undocumented.NOT_PRINCIPAL_ROLE_SESSION)
    if who.kind.is_session and any(
        s.principals is not None and s.principals.anyone and not s.not_principal
        for s in resource_side
    ):
        found.append(Undocumented.ANYONE_WITH_SESSION_POLICY)
    return found


def decide(policies: PolicySet, request: Request, readings: Readings) -> Evaluation:
    """:func:`evaluate` under one reading of the undocumented cases, without warnings."""
    hits = applicable(policies, request, readings)
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
    # Principal "*" names a session only under the other reading (see _readings).
    anyone_direct = not who.kind.is_session or readings.anyone_bypasses_session_policy
    anyone_limited: list[StatementRef] = []
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
        direct_matches = [PrincipalMatch.DIRECT]
        if anyone_direct:
            direct_matches.append(PrincipalMatch.ANYONE)
        else:
            anyone_limited = allows(PolicyKind.RESOURCE, PrincipalMatch.ANYONE)
        direct = allows(PolicyKind.RESOURCE, *direct_matches)
        if direct:
            return Evaluation(
                Decision.ALLOW,
                (*gates, *direct),
                "a resource-based policy names this principal directly",
            )
        via_role = allows(PolicyKind.RESOURCE, PrincipalMatch.ROLE)
        if is_kms_key(request.resource) and (identity or root):
            # IAM policies (and the root user's own access) count on a KMS key only when
            # its key policy allows the account: "enables IAM policies".
            enabling = allows(PolicyKind.RESOURCE, PrincipalMatch.ACCOUNT)
            if not enabling:
                if not via_role and not anyone_limited:
                    return implicit(
                        "a KMS key: its key policy neither allows this principal nor enables "
                        f"IAM policies for account {who.account}"
                    )
                identity, root = [], False
            gates += enabling
        if not identity and not via_role and not root and not anyone_limited:
            return implicit("no identity-based or resource-based policy allows the request")
        granting = [*identity, *via_role]
        if not granting and not root:
            # Only Principal "*" grants: no boundary applies, the session policy does.
            return _session_gate(policies, who, gates, anyone_limited, allows, implicit)
    if root:
        return Evaluation(Decision.ALLOW, (*gates, *granting), "the account root user")

    if policies.boundary is not None:
        boundary = allows(PolicyKind.BOUNDARY)
        if not boundary:
            if anyone_limited:
                return _session_gate(policies, who, gates, anyone_limited, allows, implicit)
            return implicit("the permissions boundary does not allow the request")
        gates += boundary
    return _session_gate(policies, who, gates, [*granting, *anyone_limited], allows, implicit)


def _session_gate(
    policies: PolicySet,
    who: PrincipalInfo,
    gates: list[StatementRef],
    granting: list[StatementRef],
    allows: Callable[..., list[StatementRef]],
    implicit: Callable[[str], Evaluation],
) -> Evaluation:
    """The last step: a session's session policy (a federated user has none, no access)."""
    if who.kind.is_session:
        if policies.session is not None:
            session = allows(PolicyKind.SESSION)
            if not session:
                return implicit("the session policy does not allow the request")
            gates = [*gates, *session]
        elif who.kind is PrincipalKind.FEDERATED_USER:
            return implicit("a federated-user session without a session policy")
    return Evaluation(Decision.ALLOW, (*granting, *gates), "allowed")
