"""The models the model-finding chapter builds, kept here so the book quotes real code.

:func:`access_model` is a deliberately small relational picture of access control in the
spirit of the JAWS DAYS 2018 talk: roles carry policies, policies carry statements, each
statement allows or denies some actions on some resources. It is not AWS IAM (the IAM
chapter models that in full); it is small enough to read in one screen and rich enough to
hide a contradiction.
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.relational._model import Model, pred
from fmlab.relational._syntax import (
    Expr,
    Formula,
    Named,
    Relation,
    Signature,
    Variable,
    all_,
    exists,
    no,
    one,
    some,
)


@dataclass(frozen=True)
class AccessModel:
    """The model and the names a reader uses to write predicates about it."""

    model: Model
    Role: Signature
    Policy: Signature
    Statement: Signature
    Action: Signature
    Resource: Signature
    Effect: Signature
    attached: Relation
    statements: Relation
    effect: Relation
    actions: Relation
    resources: Relation

    def statements_of(self, role: Expr) -> Expr:
        """Every statement in every policy attached to ``role``: ``role.attached.statements``."""
        return role @ self.attached @ self.statements

    def with_effect(self, name: str) -> Expr:
        """The statements whose effect is ``name``: ``effect.Allow`` in Alloy."""
        return self.effect @ self.Effect[name]

    def covering(self, action: Expr, resource: Expr) -> Expr:
        """Statements that name both ``action`` and ``resource``."""
        return (self.actions @ action) & (self.resources @ resource)

    def allowed(self, role: Variable, action: Variable, resource: Variable) -> Formula:
        """IAM's rule in miniature: some statement allows it and none denies it."""
        relevant = self.statements_of(role) & self.covering(action, resource)
        return some(relevant & self.with_effect("Allow")) & no(relevant & self.with_effect("Deny"))


# [start:access-model]
def access_model(scope: int = 3) -> AccessModel:
    m = Model("access", default_scope=scope)
    Role, Policy, Statement = m.sig("Role"), m.sig("Policy"), m.sig("Statement")
    Action, Resource = m.sig("Action"), m.sig("Resource")
    Effect = m.enum("Effect", ["Allow", "Deny"])

    attached = m.relation("attached", Role, Policy)  # a role carries any number of policies
    statements = m.relation("statements", Policy, Statement, multiplicity="some")
    effect = m.relation("effect", Statement, Effect, multiplicity="one")
    actions = m.relation("actions", Statement, Action, multiplicity="some")
    resources = m.relation("resources", Statement, Resource, multiplicity="some")

    # Every statement belongs to exactly one policy.
    m.fact(all_(Statement, lambda s: one(statements @ s)))
    return AccessModel(
        m,
        Role,
        Policy,
        Statement,
        Action,
        Resource,
        Effect,
        attached,
        statements,
        effect,
        actions,
        resources,
    )


# [end:access-model]


# [start:no-contradiction]
def no_contradiction(world: AccessModel) -> Named:
    """The talk's assertion: no role has an Allow and a Deny for the same action and resource."""
    return pred(
        "NoContradiction",
        all_(
            world.Role,
            world.Action,
            world.Resource,
            lambda r, a, x: (
                no(world.statements_of(r) & world.covering(a, x) & world.with_effect("Allow"))
                | no(world.statements_of(r) & world.covering(a, x) & world.with_effect("Deny"))
            ),
        ),
    )


# [end:no-contradiction]


# [start:read-one-not-other]
def reaches_one_resource_only(world: AccessModel) -> Named:
    """A role that may do something to one resource but not to another, with a Deny in play."""
    return pred(
        "ReachesOneResourceOnly",
        exists(
            world.Role,
            world.Action,
            world.Resource,
            world.Resource,
            lambda r, a, yes, nope: (
                world.allowed(r, a, yes)
                & ~world.allowed(r, a, nope)
                & some(world.statements_of(r) & world.with_effect("Deny"))
            ),
        ),
    )


# [end:read-one-not-other]


# [start:exercise-unusable-role]
def unusable_role_reference(world: AccessModel) -> Named:
    """Exercise answer: some role has an Allow statement, yet it is allowed nothing at all."""
    return pred(
        "UnusableRole",
        exists(
            world.Role,
            lambda r: (
                some(world.statements_of(r) & world.with_effect("Allow"))
                & all_(world.Action, world.Resource, lambda a, x: ~world.allowed(r, a, x))
            ),
        ),
    )


# [end:exercise-unusable-role]


# [start:exercise-deny-only-what-is-not-allowed]
def deny_never_overlaps_allow(world: AccessModel) -> Named:
    """Exercise answer: a fact under which NoContradiction holds without being vacuous."""
    return pred(
        "DenyNeverOverlapsAllow",
        all_(
            world.Statement,
            world.Statement,
            lambda s, t: (
                s.in_(world.with_effect("Allow")) & t.in_(world.with_effect("Deny"))
            ).implies(
                no(s @ world.actions & t @ world.actions)
                | no(s @ world.resources & t @ world.resources)
            ),
        ),
    )


# [end:exercise-deny-only-what-is-not-allowed]
