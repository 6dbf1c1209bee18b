"""The finite parts of the request space the symbolic engine ranges over.

Strings are expensive for a solver and actions are where policies are largest (a
managed policy may list hundreds of action patterns). So actions are not strings in the
z3 encoding: the catalog's actions, plus every action the policies name and one
instance of every wildcard pattern, are grouped into *classes* of actions that match
exactly the same patterns, and a request's action is a class number. Two actions in one
class are indistinguishable to every statement in play, so one representative per class
answers for all of them.

Principals are finite too: the ARNs the policies name, a session of every role they name,
and a root, a user, a role session and a federated user in every account they mention
(plus one fresh account), and one non-IAM caller.

>>> from fmlab.iam.catalog import Catalog
>>> catalog = Catalog.from_mapping({"s3": ["GetObject", "GetObjectAcl", "PutObject"]})
>>> actions = ActionDomain.build(["s3:Get*", "s3:GetObject", "*"], catalog, ())
>>> actions.representatives  # PutObject stands for every action only "*" covers
('s3:GetObject', 's3:GetObjectAcl', 's3:PutObject')
>>> actions.class_of("S3:GETOBJECTACL") == actions.class_of("s3:GetObjectAcl")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fmlab.iam.catalog import Catalog
from fmlab.iam.evaluator import PolicySet
from fmlab.iam.model import PrincipalType
from fmlab.iam.patterns import STAR, action_matches, ascii_lower, glob, glob_regex
from fmlab.iam.request import PrincipalInfo, PrincipalKind, describe_principal

UNKNOWN_ACTION = "zzfmlab:Action"
FRESH_ACCOUNT = "999900001111"
OTHER_CALLER = "fmlab-caller.amazonaws.com"


def _instance(pattern: str) -> str:
    """One concrete action a wildcard pattern covers (``*`` -> ``zz``, ``?`` -> ``z``)."""
    out = []
    for token in glob(pattern).tokens:
        if token == STAR:
            out.append("zz")
        elif isinstance(token, tuple):
            out.append(token[0])
        else:
            out.append("z")
    text = "".join(out)
    return text if ":" in text else "zz:" + text


@dataclass(frozen=True)
class ActionDomain:
    patterns: tuple[str, ...]
    """Distinct action patterns in play, ASCII-lower-cased."""
    representatives: tuple[str, ...]
    """One action per class, a catalog action whenever the class has one."""
    matches: dict[str, frozenset[int]]
    """For each pattern, the classes it covers."""
    signatures: dict[frozenset[str], int]
    catalog_size: int

    @classmethod
    def build(
        cls, patterns: Iterable[str], catalog: Catalog | None, extra_actions: Iterable[str]
    ) -> ActionDomain:
        distinct = tuple(sorted({ascii_lower(p) for p in patterns}))
        candidates: list[str] = []
        if catalog is not None:
            candidates.extend(catalog.actions())
        candidates.extend(p for p in distinct if "*" not in p and "?" not in p)
        candidates.extend(_instance(p) for p in distinct if "*" in p or "?" in p)
        candidates.extend(extra_actions)
        candidates.append(UNKNOWN_ACTION)
        by_service: dict[str, list[int]] = {}
        for index, action in enumerate(candidates):
            by_service.setdefault(ascii_lower(action.partition(":")[0]), []).append(index)
        lowered = [ascii_lower(action) for action in candidates]
        hits: list[set[str]] = [set() for _ in candidates]
        for pattern in distinct:
            service = pattern.partition(":")[0]
            if "*" in service or "?" in service or ":" not in pattern:
                pool: Iterable[int] = range(len(candidates))
            else:
                pool = by_service.get(service, ())
            if pattern == "*":
                for found in hits:
                    found.add(pattern)
                continue
            # One compiled expression per pattern (patterns are already lower-cased).
            compiled = re.compile(glob_regex(glob(pattern)), re.DOTALL)
            for index in pool:
                if compiled.fullmatch(lowered[index]):
                    hits[index].add(pattern)
        signatures: dict[frozenset[str], int] = {}
        representatives: list[str] = []
        for index, action in enumerate(candidates):
            signature = frozenset(hits[index])
            if signature not in signatures:
                signatures[signature] = len(representatives)
                representatives.append(action)
        covering: dict[str, set[int]] = {p: set() for p in distinct}
        for signature, number in signatures.items():
            for pattern in signature:
                covering[pattern].add(number)
        matches = {p: frozenset(numbers) for p, numbers in covering.items()}
        return cls(
            distinct,
            tuple(representatives),
            matches,
            signatures,
            len(catalog) if catalog is not None else 0,
        )

    def class_of(self, action: str) -> int | None:
        """The class of any action, or ``None`` when it falls in no class of this domain."""
        signature = frozenset(p for p in self.patterns if action_matches(p, action))
        return self.signatures.get(signature)

    def __len__(self) -> int:
        return len(self.representatives)


@dataclass(frozen=True)
class PrincipalDomain:
    principals: tuple[PrincipalInfo, ...]

    @classmethod
    def build(cls, policies: Sequence[PolicySet], extra: Iterable[str]) -> PrincipalDomain:
        arns: list[str] = []
        accounts: list[str] = []

        def add_account(account: str | None) -> None:
            if account and account not in accounts:
                accounts.append(account)

        for policy_set in policies:
            for _kind, _index, policy in policy_set.items():
                for statement in policy.statements:
                    if statement.principals is None:
                        continue
                    for entry in statement.principals.entries:
                        arns.append(entry.value)
                        if entry.type is PrincipalType.AWS:
                            info = describe_principal(entry.value)
                            add_account(info.account)
                            if entry.value.isdigit() and len(entry.value) == 12:
                                add_account(entry.value)
                            if info.kind is PrincipalKind.ROLE and info.role_name:
                                arns.append(
                                    f"arn:aws:sts::{info.account}:assumed-role/"
                                    f"{info.role_name}/fmlab-session"
                                )
        for arn in extra:
            arns.append(arn)
            add_account(describe_principal(arn).account)
        add_account(FRESH_ACCOUNT)
        for account in accounts:
            arns.extend(
                [
                    f"arn:aws:iam::{account}:root",
                    f"arn:aws:iam::{account}:user/fmlab-user",
                    f"arn:aws:sts::{account}:assumed-role/fmlab-role/fmlab-session",
                    f"arn:aws:sts::{account}:federated-user/fmlab-federated",
                ]
            )
        arns.append(OTHER_CALLER)
        unique = list(dict.fromkeys(arns))
        # An account id alone is not a caller; its root stands for it above.
        callers = [a for a in unique if not (a.isdigit() and len(a) == 12) and a != "*"]
        return cls(tuple(describe_principal(a) for a in callers))

    def index(self, arn: str) -> int | None:
        for number, info in enumerate(self.principals):
            if info.arn == arn:
                return number
        return None

    def __len__(self) -> int:
        return len(self.principals)
