"""The IAM policy language as frozen data: policies, statements, principals, conditions.

The parser (:mod:`fmlab.iam._parser`) builds these from JSON; both evaluators read them.
Every element keeps the JSON pointer it came from, so a finding can point at the
statement that caused it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Effect(enum.Enum):
    """A statement's ``Effect``: ``Allow`` or ``Deny``."""

    ALLOW = "Allow"
    DENY = "Deny"


class PolicyKind(enum.Enum):
    """Where a policy is attached, which decides its role in the evaluation logic."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    BOUNDARY = "boundary"
    SCP = "scp"
    RCP = "rcp"
    SESSION = "session"

    @property
    def names_principals(self) -> bool:
        """Resource-side policies say *who*; the others are attached to the who already."""
        return self in (PolicyKind.RESOURCE, PolicyKind.RCP)


class PrincipalType(enum.Enum):
    """What kind of principal an identifier names: its key in the Principal element."""

    AWS = "AWS"
    FEDERATED = "Federated"
    SERVICE = "Service"
    CANONICAL_USER = "CanonicalUser"


@dataclass(frozen=True)
class PrincipalEntry:
    """One identifier in a Principal element: ``{"AWS": "arn:aws:iam::111122223333:root"}``."""

    type: PrincipalType
    value: str


@dataclass(frozen=True)
class Principals:
    """A Principal (or NotPrincipal) element: ``"*"`` or a list of entries."""

    anyone: bool
    entries: tuple[PrincipalEntry, ...] = ()


class SetQualifier(enum.Enum):
    """``ForAllValues:`` and ``ForAnyValue:`` prefixes for multivalued context keys."""

    FOR_ALL_VALUES = "ForAllValues"
    FOR_ANY_VALUE = "ForAnyValue"


class OperatorFamily(enum.Enum):
    """How the values of a condition are read and compared."""

    STRING = "string"
    NUMERIC = "numeric"
    DATE = "date"
    BOOL = "bool"
    BINARY = "binary"
    IP = "ip"
    ARN = "arn"
    NULL = "null"


@dataclass(frozen=True)
class Operator:
    """A parsed condition operator such as ``ForAnyValue:StringNotLikeIfExists``.

    ``base`` is the operator without qualifier and ``IfExists`` (``StringNotLike``);
    ``negated`` says whether several policy values combine with AND instead of OR and
    whether a missing key makes the condition true.
    """

    text: str
    base: str
    family: OperatorFamily
    negated: bool
    if_exists: bool
    qualifier: SetQualifier | None


@dataclass(frozen=True)
class Condition:
    """One ``operator: {key: values}`` pair; a statement ANDs all of its conditions."""

    operator: Operator
    key: str
    """The key as written; keys compare case-insensitively (see :attr:`key_lower`)."""
    values: tuple[str, ...]
    pointer: str

    @property
    def key_lower(self) -> str:
        return self.key.lower()


@dataclass(frozen=True)
class Statement:
    """One statement. ``actions`` and ``resources`` hold the patterns as written.

    ``not_action``/``not_resource`` mean the patterns name what the statement does *not*
    cover. ``resources`` is ``None`` when the statement has no Resource element at all
    (role trust policies): it then applies to any resource.
    """

    effect: Effect
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...] | None
    not_resource: bool
    principals: Principals | None
    not_principal: bool
    conditions: tuple[Condition, ...]
    sid: str | None
    index: int
    pointer: str

    @property
    def label(self) -> str:
        """How reports name the statement: its Sid, else its position."""
        return self.sid if self.sid else f"#{self.index}"


@dataclass(frozen=True)
class Policy:
    """A parsed policy document. ``name`` is what reports call it (a file name, say)."""

    statements: tuple[Statement, ...]
    version: str | None
    id: str | None = None
    name: str = "policy"
    uses_variables: bool = field(default=False)
    """True when policy variables (``${aws:username}``) are substituted in this policy."""

    @property
    def variables_enabled(self) -> bool:
        # Under the 2008 version, or with no Version at all, ${...} is literal text.
        return self.version == "2012-10-17"
