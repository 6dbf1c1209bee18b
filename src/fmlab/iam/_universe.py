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

>>> from fmlab.iam._catalog import Catalog
>>> catalog = Catalog.from_mapping({"s3": ["GetObject", "GetObjectAcl", "PutObject"]})
>>> actions = ActionDomain.build(["s3:Get*", "s3:GetObject", "*"], catalog, ())
>>> actions.representatives  # PutObject stands for every action only "*" covers
('s3:GetObject', 's3:GetObjectAcl', 's3:PutObject')
>>> actions.class_of("S3:GETOBJECTACL") == actions.class_of("s3:GetObjectAcl")
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from fmlab.iam._catalog import Catalog
from fmlab.iam._evaluator import PolicySet
from fmlab.iam._model import PrincipalType, Statement
from fmlab.iam._patterns import STAR, action_matches, ascii_lower, glob, glob_matcher
from fmlab.iam._request import PrincipalInfo, PrincipalKind, describe_principal

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


def _compiled_glob(pattern: str) -> Callable[[str], bool]:
    return glob_matcher(glob(pattern))


class _CatalogIndex:
    """A catalog's actions lower-cased and grouped by service, with each pattern's
    matches remembered: built once per catalog, shared by every encoder."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog  # kept alive so its id is not reused
        self.actions: list[str] = catalog.actions() if catalog is not None else []
        self.lowered = [ascii_lower(action) for action in self.actions]
        self.by_service: dict[str, list[int]] = {}
        self.exact: dict[str, list[int]] = {}
        for number, action in enumerate(self.lowered):
            self.by_service.setdefault(action.partition(":")[0], []).append(number)
            self.exact.setdefault(action, []).append(number)
        self._matching: dict[str, tuple[int, ...]] = {}

    def matching(self, pattern: str) -> tuple[int, ...]:
        """Catalog positions of the actions a lower-cased pattern covers."""
        found = self._matching.get(pattern)
        if found is not None:
            return found
        if "*" not in pattern and "?" not in pattern:
            found = tuple(self.exact.get(pattern, ()))
        else:
            service = pattern.partition(":")[0]
            pool: Iterable[int]
            if "*" in service or "?" in service or ":" not in pattern:
                pool = range(len(self.lowered))
            else:
                pool = self.by_service.get(service, ())
            compiled = _compiled_glob(pattern)
            found = tuple(n for n in pool if compiled(self.lowered[n]))
        self._matching[pattern] = found
        return found


_INDEXES: dict[int, _CatalogIndex] = {}


def _catalog_index(catalog: Catalog | None) -> _CatalogIndex:
    key = id(catalog)
    index = _INDEXES.get(key)
    if index is None or index.catalog is not catalog:
        if len(_INDEXES) > 16:
            _INDEXES.clear()
        index = _INDEXES[key] = _CatalogIndex(catalog)
    return index


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
        """Classes of the catalog's actions and the extra candidates, by the patterns
        they match.

        Built for speed: a policy names a few patterns and each matches few of the
        catalog's 22,000 actions, so only the actions some pattern matches are looked
        at (their matches come from a per-catalog cache); every other catalog action
        falls in the class of actions no pattern names. ``"*"`` matches everything and
        splits nothing, so it joins every class instead of being matched."""
        distinct = tuple(sorted({ascii_lower(p) for p in patterns}))
        index = _catalog_index(catalog)
        extras: list[str] = []
        extras.extend(p for p in distinct if "*" not in p and "?" not in p)
        extras.extend(_instance(p) for p in distinct if "*" in p or "?" in p)
        extras.extend(extra_actions)
        extras.append(UNKNOWN_ACTION)
        offset = len(index.actions)
        extras_lower = [ascii_lower(action) for action in extras]
        universal = [p for p in distinct if p == STAR]
        extras_by_service: dict[str, list[int]] = {}
        for position, action in enumerate(extras_lower):
            extras_by_service.setdefault(action.partition(":")[0], []).append(position)
        hits: dict[int, list[str]] = {}
        for pattern in distinct:
            if pattern == STAR:
                continue
            for number in index.matching(pattern):
                hits.setdefault(number, []).append(pattern)
            service = pattern.partition(":")[0]
            pool: Iterable[int]
            if "*" in service or "?" in service or ":" not in pattern:
                pool = range(len(extras))
            else:
                pool = extras_by_service.get(service, ())
            compiled = _compiled_glob(pattern)
            for position in pool:
                if compiled(extras_lower[position]):
                    hits.setdefault(offset + position, []).append(pattern)
        # The first candidate no pattern matches stands for the class of all of them.
        first_free = next(n for n in range(offset + len(extras)) if n not in hits)
        signatures: dict[frozenset[str], int] = {}
        representatives: list[str] = []
        for number in sorted([first_free, *hits]):
            signature = frozenset([*hits.get(number, ()), *universal])
            if signature not in signatures:
                signatures[signature] = len(representatives)
                representatives.append(
                    index.actions[number] if number < offset else extras[number - offset]
                )
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
            # The index's list, not len(catalog): that sums over every service each time.
            len(index.actions),
        )

    def reordered(self, order: Sequence[int]) -> ActionDomain:
        """The same classes, renumbered: class ``order[n]`` becomes class ``n``."""
        new_number = {old: new for new, old in enumerate(order)}
        return ActionDomain(
            self.patterns,
            tuple(self.representatives[old] for old in order),
            {p: frozenset(new_number[c] for c in found) for p, found in self.matches.items()},
            {signature: new_number[c] for signature, c in self.signatures.items()},
            self.catalog_size,
        )

    def class_of(self, action: str) -> int | None:
        """The class of any action, or ``None`` when it falls in no class of this domain."""
        signature = frozenset(p for p in self.patterns if action_matches(p, action))
        return self.signatures.get(signature)

    def __len__(self) -> int:
        return len(self.representatives)

    def classes_of(self, statement: Statement) -> frozenset[int]:
        """The classes a statement's Action (or NotAction) element covers."""
        covered: set[int] = set()
        for pattern in statement.actions:
            covered |= self.matches[ascii_lower(pattern)]
        if statement.not_action:
            covered = set(range(len(self))) - covered
        return frozenset(covered)


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
