"""Where the AWS documentation is silent, which reading fmlab takes, and the other one.

Three cases came up when fmlab was compared with an independent evaluator on thousands of
random scenarios, and the IAM User Guide decides none of them in so many words. fmlab takes
one reading of each (the one the evidence supports, below), and an evaluation whose
decision would change under the other reading carries a warning saying so.

* ``ForAnyValue:...IfExists`` with the key absent. The set-operator rule says ForAnyValue
  is false when the key is missing; the IfExists rule says a missing key makes the
  condition true. fmlab: **false** (the set qualifier wins). Evidence: the independent
  evaluator answers false, and a public report of a real AWS request saw a deny.
* ``NotPrincipal`` naming a role while a session of that role calls. fmlab: the session is
  **not** excluded, so a Deny with that NotPrincipal applies to it. Evidence: the
  NotPrincipal page's own example lists the session ARN beside the role ARN and says
  principals must always name a specific session.
* ``Principal: "*"`` in a resource policy, a role or federated-user session calling with a
  session policy. fmlab: the session policy **limits** that grant. Evidence: the STS
  documentation adds resource-policy permissions to a session's only when the policy
  "specifically references" the session; ``"*"`` names no one in particular.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Undocumented(enum.Enum):
    """A case the documentation does not decide."""

    FOR_ANY_VALUE_IF_EXISTS = "for-any-value-if-exists"
    NOT_PRINCIPAL_ROLE_SESSION = "not-principal-role-session"
    ANYONE_WITH_SESSION_POLICY = "anyone-with-session-policy"

    @property
    def reading(self) -> str:
        """fmlab's reading, in one sentence."""
        return _READINGS[self]


_READINGS = {
    Undocumented.FOR_ANY_VALUE_IF_EXISTS: (
        "ForAnyValue:...IfExists is false when the key is absent (fmlab's reading; the "
        "other reading makes it true)"
    ),
    Undocumented.NOT_PRINCIPAL_ROLE_SESSION: (
        "a NotPrincipal naming a role does not exclude that role's sessions (fmlab's "
        "reading; the other reading excludes them)"
    ),
    Undocumented.ANYONE_WITH_SESSION_POLICY: (
        'a resource policy Allow with Principal "*" is limited by the session policy '
        "(fmlab's reading; the other reading lets it bypass the session policy)"
    ),
}


@dataclass(frozen=True)
class Readings:
    """Which reading of each undocumented case an evaluation takes. The defaults are
    fmlab's; setting a field to ``True`` takes the other reading."""

    any_value_if_exists_true: bool = False
    not_principal_role_excludes_sessions: bool = False
    anyone_bypasses_session_policy: bool = False

    def flipped(self, case: Undocumented) -> Readings:
        field = {
            Undocumented.FOR_ANY_VALUE_IF_EXISTS: "any_value_if_exists_true",
            Undocumented.NOT_PRINCIPAL_ROLE_SESSION: "not_principal_role_excludes_sessions",
            Undocumented.ANYONE_WITH_SESSION_POLICY: "anyone_bypasses_session_policy",
        }[case]
        return Readings(**{**self.__dict__, field: not getattr(self, field)})


FMLAB = Readings()


@dataclass(frozen=True)
class ReadingWarning:
    """The decision rests on an undocumented case: under the other reading it would be
    ``other`` (a :class:`~fmlab.iam.Decision` value)."""

    case: Undocumented
    other: str

    @property
    def message(self) -> str:
        return (
            f"the decision rests on a case the AWS documentation does not decide: "
            f"{self.case.reading}; with the other reading it would be {self.other}"
        )

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case.value, "other_reading": self.other, "message": self.message}

    def __str__(self) -> str:
        return self.message
