"""Does a statement apply to a request? Actions, resources, principals and conditions.

>>> from fmlab.iam._parser import parse_policy
>>> from fmlab.iam._request import Request
>>> allow_other = parse_policy({"Version": "2012-10-17", "Statement": {
...     "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}).statements[0]
>>> statement_applies(allow_other, Request.build("arn:aws:iam::111122223333:user/a",
...     "ec2:RunInstances", "*"), variables=True)
True
"""

from __future__ import annotations

import enum
import re

from fmlab.iam._conditions import condition_holds
from fmlab.iam._model import Effect, Principals, PrincipalType, Statement
from fmlab.iam._patterns import arn_glob_matches, ascii_lower, lowered_action_matches, resolve
from fmlab.iam._readings import FMLAB, Readings
from fmlab.iam._request import PrincipalKind, Request, describe_principal


class PrincipalMatch(enum.Enum):
    """How a Principal element names the requester, which matters for boundaries."""

    NONE = "none"
    DIRECT = "direct"
    """The exact user, session or federated-user ARN, or a service."""
    ANYONE = "anyone"
    """``"*"``: everyone, like a direct naming for boundaries, but for a session it does
    not "specifically reference" the session (see ``fmlab.iam._readings``)."""
    ROLE = "role"
    """The role a session was assumed from: still limited by boundary and session policy."""
    ACCOUNT = "account"
    """The requester's account: the account's own identity policies must also allow."""


_ACCOUNT_ROOT = re.compile(r"arn:([^:]+):iam::([0-9]{12}):root")
_ROLE = re.compile(r"arn:([^:]+):iam::([0-9]{12}):role/(?:.*/)?([^/]+)")


def principal_match(principals: Principals, principal: str) -> PrincipalMatch:
    """The strongest way any entry of ``principals`` names ``principal``."""
    if principals.anyone:
        return PrincipalMatch.ANYONE
    who = describe_principal(principal)
    best = PrincipalMatch.NONE
    for entry in principals.entries:
        if entry.value == principal:
            return PrincipalMatch.DIRECT
        if entry.type is not PrincipalType.AWS:
            continue
        role = _ROLE.fullmatch(entry.value)
        if (
            role
            and who.kind is PrincipalKind.ROLE_SESSION
            and who.account == role.group(2)
            and who.role_name == role.group(3)
            and principal.startswith(f"arn:{role.group(1)}:")
        ):
            best = PrincipalMatch.ROLE
            continue
        root = _ACCOUNT_ROOT.fullmatch(entry.value)
        account = root.group(2) if root else entry.value
        if who.account is not None and account == who.account and best is PrincipalMatch.NONE:
            best = PrincipalMatch.ACCOUNT
    return best


def statement_principal(
    statement: Statement,
    principal: str,
    *,
    bounded: bool = False,
    readings: Readings = FMLAB,
) -> PrincipalMatch:
    """How ``statement`` names the principal (``DIRECT`` when it names no principal).

    ``bounded``: the principal has a permissions boundary attached, which makes a Deny
    with NotPrincipal apply to it whatever the NotPrincipal names (IAM User Guide,
    permissions boundaries)."""
    if statement.principals is None:
        return PrincipalMatch.DIRECT
    found = principal_match(statement.principals, principal)
    if statement.not_principal:
        if bounded and statement.effect is Effect.DENY and _is_iam_principal(principal):
            return PrincipalMatch.DIRECT
        # NotPrincipal excludes only principals it names exactly (AWS asks for both the
        # role and the session ARN to exclude a session); everyone else is covered.
        excluded = {PrincipalMatch.DIRECT, PrincipalMatch.ANYONE}
        if readings.not_principal_role_excludes_sessions:
            excluded.add(PrincipalMatch.ROLE)
        return PrincipalMatch.NONE if found in excluded else PrincipalMatch.DIRECT
    return found


def names_role_of_session(statement: Statement, principal: str) -> bool:
    """A NotPrincipal that names the role of the calling session (an undocumented case)."""
    return (
        statement.not_principal
        and statement.principals is not None
        and principal_match(statement.principals, principal) is PrincipalMatch.ROLE
    )


def _is_iam_principal(principal: str) -> bool:
    """A user, a role or a session: what a permissions boundary can be attached to."""
    return describe_principal(principal).kind in (
        PrincipalKind.USER,
        PrincipalKind.ROLE,
        PrincipalKind.ROLE_SESSION,
        PrincipalKind.FEDERATED_USER,
    )


def action_covered(statement: Statement, action: str) -> bool:
    lowered = ascii_lower(action)
    hit = any(lowered_action_matches(pattern, lowered) for pattern in statement.actions)
    return hit != statement.not_action


def resource_covered(statement: Statement, request: Request, *, variables: bool) -> bool:
    if statement.resources is None:
        return True
    hit = False
    for text in statement.resources:
        pattern = resolve(text, variables, request.context)
        if pattern is not None and arn_glob_matches(pattern, request.resource):
            hit = True
            break
    return hit != statement.not_resource


def conditions_hold(
    statement: Statement, request: Request, *, variables: bool, readings: Readings = FMLAB
) -> bool:
    return all(
        condition_holds(condition, request.context, variables=variables, readings=readings)
        for condition in statement.conditions
    )


def statement_applies(
    statement: Statement, request: Request, *, variables: bool, readings: Readings = FMLAB
) -> bool:
    """Action, resource and conditions match (the principal is checked separately)."""
    return (
        action_covered(statement, request.action)
        and resource_covered(statement, request, variables=variables)
        and conditions_hold(statement, request, variables=variables, readings=readings)
    )
