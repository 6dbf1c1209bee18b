"""The symbolic engine: the evaluation logic as one z3 formula over all requests.

A request becomes a handful of solver variables: an action *class* and a principal
(numbers into the finite domains of :mod:`fmlab.iam._universe`), the resource (a string,
matched by regular expressions built like the concrete matcher's), and for each context
key the policies test a presence count and typed values (strings, scaled integers for
numbers, microseconds for dates, 128-bit vectors for IP addresses).

The formula mirrors :func:`fmlab.iam._evaluator.evaluate` step by step, so one model of
"A allows and B does not" is a request on which the policies differ, and the concrete
evaluator can replay it.

What the symbolic engine ranges over (the bound reported with every proof):

* actions: the catalog's, those the policies name, one instance of each wildcard;
* principals: the finite domain of :class:`~fmlab.iam._universe.PrincipalDomain`;
* a context key holds one value unless a policy tests it with ``ForAllValues`` or
  ``ForAnyValue``; then up to as many values as there are conditions on it (enough for
  every combination of those conditions), at most :data:`MAX_VALUES`;
* keys used with Numeric operators hold decimal numbers, Date keys ISO 8601 moments,
  IP keys addresses (that is how AWS fills them).

Policy variables (``${aws:username}``) read other context keys: a resource or a key
compared with one becomes a z3 string, and the pattern a formula over it and the
variable's value (see :mod:`fmlab.iam._policy_variables`); the few shapes that encoding
does not cover are reported as unsupported rather than analysed wrongly.
"""

from __future__ import annotations

import dataclasses
import enum
import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import z3

from fmlab.core.errors import UnsupportedError
from fmlab.core.result import Unknown, UnknownReason
from fmlab.iam._catalog import Catalog
from fmlab.iam._evaluator import (
    KMS_KEY_PATTERN,
    Decision,
    Evaluation,
    PolicySet,
    StatementRef,
)
from fmlab.iam._matching import PrincipalMatch, statement_principal
from fmlab.iam._model import (
    Condition,
    Effect,
    OperatorFamily,
    PolicyKind,
    SetQualifier,
    Statement,
)
from fmlab.iam._operators import (
    comparison,
    format_date,
    parse_address,
    parse_bool,
    parse_date,
    parse_network,
    parse_number,
)
from fmlab.iam._patterns import (
    STAR,
    Glob,
    arn_matcher,
    ascii_lower,
    glob,
    glob_matcher,
    has_variables,
)
from fmlab.iam._policy_variables import (
    Fields,
    Semantics,
    VariableSupportError,
    needs_fields,
    pattern_matches,
    variable_keys,
)
from fmlab.iam._request import PrincipalKind, Request
from fmlab.iam._strings import StringSpace, StringSpaceError
from fmlab.iam._universe import ActionDomain, PrincipalDomain
from fmlab.iam._z3text import (
    any_char,
    arn_re,
    decode_string,
    glob_re,
    ignore_case_re,
    string_val,
)
from fmlab.iam._z3text import not_colon as not_colon_char

MAX_VALUES = 3


def _ascii_lower_char() -> z3.ExprRef:
    """A z3 function on characters: A-Z to a-z, every other character unchanged (the
    folding of :func:`fmlab.iam._patterns.ascii_lower`)."""
    char = z3.Const("char", z3.CharSort())
    code = z3.CharToBv(char)
    upper = z3.And(z3.UGE(code, ord("A")), z3.ULE(code, ord("Z")))
    return z3.Lambda([char], z3.If(upper, z3.CharFromBv(code + 32), char))


_ASCII_LOWER = _ascii_lower_char()
KMS_KEY_ATOM = "kms-key"
RESOURCE_ACCOUNT_KEY = "aws:resourceaccount"
_MULTIVALUED_KEYS = frozenset({"aws:tagkeys", "aws:calledvia"})
_MIN_DATE = -62_135_596_800 * 1_000_000  # 0001-01-01
_MAX_DATE = 253_402_300_799 * 1_000_000  # 9999-12-31T23:59:59


class KeyType(enum.Enum):
    STRING = "string"
    NUMERIC = "numeric"
    DATE = "date"
    IP = "ip"


_FAMILY_TYPE = {
    OperatorFamily.STRING: KeyType.STRING,
    OperatorFamily.ARN: KeyType.STRING,
    OperatorFamily.BOOL: KeyType.STRING,
    OperatorFamily.BINARY: KeyType.STRING,
    OperatorFamily.NUMERIC: KeyType.NUMERIC,
    OperatorFamily.DATE: KeyType.DATE,
    OperatorFamily.IP: KeyType.IP,
}


@dataclass
class KeyVars:
    """The solver's view of one context key."""

    name: str
    type: KeyType
    capacity: int
    count: z3.ArithRef
    values: list[z3.ExprRef]
    v6: list[z3.BoolRef] = field(default_factory=list)


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


@dataclass(frozen=True)
class StatementKey:
    """Which statement of which policy set: (set number, kind, policy number, statement)."""

    set_index: int
    kind: PolicyKind
    policy_index: int
    statement_index: int


class Encoder:
    """Variables for one symbolic request, and formulas over them for policy sets."""

    def __init__(
        self,
        policy_sets: Sequence[PolicySet],
        *,
        catalog: Catalog | None,
        extra_requests: Iterable[Request] = (),
        root_user: bool = True,
        enumerate_strings: bool = True,
        timeout_ms: int | None = None,
        decisions: bool = True,
    ) -> None:
        """``root_user=False`` leaves the account root user out of the requests (identity
        policies are never attached to it, and it would allow everything by default).
        ``enumerate_strings=False`` computes string classes only for ``extra_requests``:
        enough to decide those requests, and much faster. ``decisions=False`` is for
        analyses that only ask which statements apply (conflicts): the resource's account,
        which only the decision reads, is then left out of the string classes."""
        extra = list(extra_requests)
        self.policy_sets = list(policy_sets)
        statements = [s for ps in policy_sets for _k, _i, p in ps.items() for s in p.statements]
        # Statements of policies where ${...} is a policy variable (Version 2012-10-17).
        self._substituting = {
            id(s)
            for ps in policy_sets
            for _k, _i, p in ps.items()
            if p.variables_enabled and p.uses_variables
            for s in p.statements
        }
        # Keys an ...IgnoreCase condition compares with a policy variable, and the keys
        # such variables read: each of their string slots gets a case-folded twin.
        self._folded_keys: set[str] = set()
        self._resource_fields_needed = False
        self.resource_fields: Fields | None = None
        self._folds: dict[int, tuple[z3.SeqRef, z3.SeqRef]] = {}
        self.resource_text, self.text_keys, variable_keys = self._variable_uses(statements)
        self._action_classes: dict[int, frozenset[int]] = {}
        self.actions = self._grouped(
            ActionDomain.build(
                (pattern for s in statements for pattern in s.actions),
                catalog,
                (r.action for r in extra),
            ),
            statements,
        )
        self.principals = PrincipalDomain.build(policy_sets, (r.principal for r in extra))
        self.action = z3.Int("action")
        self.principal = z3.Int("principal")
        # A resource some pattern compares with a variable's value is a z3 string; all
        # others are a class number (see fmlab.iam._strings).
        self.resource: z3.ExprRef = (
            z3.String("resource") if self.resource_text else z3.Int("resource")
        )
        self.constraints: list[z3.BoolRef] = [
            self.action >= 0,
            self.action < len(self.actions),
            self.principal >= 0,
            self.principal < len(self.principals),
        ]
        self.bounds: list[str] = [
            f"actions: {len(self.actions)} classes covering the {self.actions.catalog_size} "
            "catalog actions and those the policies name",
            f"principals: {len(self.principals)} representatives",
        ]
        # Requests name a resource by ARN (or "*" for actions on no particular resource).
        arn_or_star = z3.Union(
            z3.Re(string_val("*")), z3.Concat(z3.Re(string_val("arn:")), z3.Star(any_char()))
        )
        self.resources = StringSpace(
            "resource",
            arn_or_star if enumerate_strings else None,
            domain_test=_arn_or_star,
            samples=("*", "arn:", "arn:fmlab:fmlab:x:x:x"),
            text_mode=self.resource_text,
        )
        self.bounds.append('resources: "*" or an ARN')
        if self._resource_fields_needed:
            self._split_resource()
        if self.resource_text and enumerate_strings:
            assert isinstance(self.resource, z3.SeqRef)
            self.constraints.append(z3.InRe(self.resource, arn_or_star))
        for statement in statements:
            if statement.resources is not None:
                plain, _ = self._split(statement, statement.resources)
                if not plain:
                    continue
                atom, regex = _resource_atom(plain)
                test, samples, finite = _resource_test(plain)
                self.resources.add(
                    atom,
                    regex,
                    tag=_service_tag(plain),
                    universal="*" in plain,
                    test=test,
                    samples=samples,
                    finite=finite,
                    globs=tuple(glob(p) for p in plain),
                    arn=True,
                )
        if decisions:
            # Is the resource a KMS key? (Only the decision reads it.)
            self.resources.add(
                KMS_KEY_ATOM,
                arn_re(glob(KMS_KEY_PATTERN)),
                tag=frozenset({"kms"}),
                test=arn_matcher(glob(KMS_KEY_PATTERN)),
                samples=("arn:aws:kms:us-east-1:111122223333:key/k", "arn:aws:kms:x:1:alias/a"),
                globs=(glob(KMS_KEY_PATTERN),),
                arn=True,
            )
        self._accounts: dict[str, list[int]] = {}
        for number, info in enumerate(self.principals.principals):
            if info.account is not None:
                self._accounts.setdefault(info.account, []).append(number)
        # With no resource-based policy in play, every policy set denies a cross-account
        # request, so the analyses need only same-account requests: the resource's
        # account is then the principal's, and no string reasoning about it is needed.
        self.decisions = decisions
        self.same_account_only = (
            enumerate_strings
            and not any(ps.resource for ps in policy_sets)
            and not any(
                c.key_lower == RESOURCE_ACCOUNT_KEY for st in statements for c in st.conditions
            )
            and RESOURCE_ACCOUNT_KEY not in variable_keys
        )
        if self.same_account_only:
            self.bounds.append("requests within one account (no resource-based policy)")
        elif decisions:
            self._add_account_atoms()
        self._keys: dict[str, KeyVars] = {}
        self._spaces: dict[str, StringSpace] = {}
        self._scale = 1
        self._declare_keys(statements, extra, variable_keys)
        try:
            if enumerate_strings:
                for space in (self.resources, *self._spaces.values()):
                    space.enumerate(timeout_ms=timeout_ms)
            else:
                for request in extra:
                    if not self.resources.text_mode:
                        self.resources.add_text(request.resource)
                    for name, space in self._spaces.items():
                        if space.text_mode:
                            continue
                        for text in request.context.get(name, ()):
                            space.add_text(text)
        except StringSpaceError as error:
            # With reason TIMEOUT: the preparatory string queries ran out of time.
            raise UnsupportedError(str(error), reason=error.reason) from None
        if isinstance(self.resource, z3.ArithRef):
            self.constraints += [self.resource >= 0, self.resource < max(1, len(self.resources))]
        for name, space in self._spaces.items():
            if space.text_mode:
                continue
            for slot in self._keys[name].values:
                assert isinstance(slot, z3.ArithRef)
                self.constraints += [slot >= 0, slot < max(1, len(space))]
        if self.same_account_only:
            self.cross_account: z3.BoolRef = z3.BoolVal(False)
            self.constraints.append(self._keys[RESOURCE_ACCOUNT_KEY].count == 0)
        elif decisions:
            self.cross_account = self._encode_cross_account()
        else:
            self.cross_account = z3.BoolVal(False)  # never read: decision() refuses
        if not root_user:
            infos = self.principals.principals
            roots = [i for i, p in enumerate(infos) if p.kind is PrincipalKind.ROOT]
            self.constraints.append(z3.Not(self._principal_in(roots)))
            self.bounds.append("principals: not the account root user")
        self._cache: dict[int, z3.BoolRef] = {}

    # --- variables ------------------------------------------------------------------

    def _split(
        self, statement: Statement, patterns: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``patterns`` without and with ``${...}`` (the latter only where substituted)."""
        if id(statement) not in self._substituting:
            return patterns, ()
        plain = tuple(p for p in patterns if not has_variables(p))
        return plain, tuple(p for p in patterns if has_variables(p))

    def _variable_uses(self, statements: list[Statement]) -> tuple[bool, set[str], set[str]]:
        """Whether the resource is compared with a variable, which keys' values are (they
        become z3 strings), and the keys variables read."""
        resource_text = False
        text_keys: set[str] = set()
        read: set[str] = set()
        for statement in statements:
            if id(statement) not in self._substituting:
                continue
            for pattern in self._split(statement, statement.resources or ())[1]:
                resource_text = True
                read |= variable_keys(pattern)
                if needs_fields(pattern):
                    self._resource_fields_needed = True
                else:
                    _check_variable_pattern(pattern, "arn")
            for condition in statement.conditions:
                family = condition.operator.family
                if family not in (OperatorFamily.STRING, OperatorFamily.ARN):
                    continue  # the concrete evaluator substitutes only in String and Arn
                with_variables = self._split(statement, condition.values)[1]
                if not with_variables:
                    continue
                text_keys.add(condition.key_lower)
                ignoring_case = "IgnoreCase" in condition.operator.base
                if ignoring_case:
                    self._folded_keys.add(condition.key_lower)
                for value in with_variables:
                    read |= variable_keys(value)
                    if ignoring_case:
                        self._folded_keys |= variable_keys(value)
                    _check_variable_pattern(value, _semantics(condition))
        text_keys |= read
        return resource_text, text_keys, read

    def _value_of(self, key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
        """A variable's view of a key: (exactly one value, that value)."""
        found = self._keys[key]
        value = found.values[0]
        if not isinstance(value, z3.SeqRef):
            raise UnsupportedError(f'policy variable "{key}" names a non-string key')
        return found.count == 1, value

    def _variable_formula(
        self,
        target: z3.ExprRef,
        text: str,
        semantics: Semantics,
        *,
        fold: bool = False,
        fields: Fields | None = None,
    ) -> z3.BoolRef:
        """``target`` matches ``text`` with its variables substituted; with ``fold``
        (the ...IgnoreCase operators), compared in ASCII lower case on both sides, as the
        concrete evaluator does: the folded twins against the lower-cased text."""
        assert isinstance(target, z3.SeqRef)
        try:
            if fold:
                # Lower-casing the whole text also lower-cases variable names (looked up
                # in lower case anyway) and defaults (compared without case anyway).
                return pattern_matches(
                    self._folded(target), ascii_lower(text), semantics, self._folded_value_of
                )
            return pattern_matches(target, text, semantics, self._value_of, fields)
        except VariableSupportError as error:
            raise UnsupportedError(str(error)) from None

    def _declare_keys(
        self, statements: list[Statement], extra: list[Request], variable_keys: set[str]
    ) -> None:
        types: dict[str, set[KeyType]] = {}
        conditions_on: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
        qualified: set[str] = set()
        decimals = 0
        for statement in statements:
            for condition in statement.conditions:
                key = condition.key_lower
                types.setdefault(key, set())
                conditions_on.setdefault(key, set()).add(
                    (condition.operator.text, condition.values)
                )
                key_type = _FAMILY_TYPE.get(condition.operator.family)
                if key_type is not None:
                    types[key].add(key_type)
                if condition.operator.qualifier is not None:
                    qualified.add(key)
                if condition.operator.family is OperatorFamily.NUMERIC:
                    decimals = max(decimals, *(_decimals(v) for v in condition.values))
        longest: dict[str, int] = {}
        for request in extra:
            for key, values in request.context.items():
                longest[key] = max(longest.get(key, 0), len(values))
                if key in types and len(values) > 1:
                    qualified.add(key)
        types.setdefault(RESOURCE_ACCOUNT_KEY, set()).add(KeyType.STRING)
        for key in variable_keys:
            types.setdefault(key, set()).add(KeyType.STRING)
        # One more decimal than any policy number: a strict gap between two policy
        # numbers always holds a grid point, so the grid loses no answer.
        self._scale = 10 ** (decimals + 1)
        for key in sorted(types):
            found = types[key]
            if len(found) > 1:
                names = ", ".join(sorted(t.value for t in found))
                raise UnsupportedError(f'context key "{key}" is compared as {names} at once')
            key_type = next(iter(found)) if found else KeyType.STRING
            multi = key in qualified or key in _MULTIVALUED_KEYS
            capacity = 1
            if multi:
                capacity = max(1, min(MAX_VALUES, len(conditions_on.get(key, ()))))
                if len(conditions_on.get(key, ())) > MAX_VALUES:
                    self.bounds.append(f'key "{key}": at most {MAX_VALUES} values')
            # A request being evaluated must fit whatever the bound.
            capacity = max(capacity, longest.get(key, 0))
            self._keys[key] = self._key_vars(key, key_type, capacity)
            if key_type is KeyType.STRING:
                self._spaces[key] = StringSpace(
                    f"key {key}", samples=("", "x"), text_mode=key in self.text_keys
                )
        for statement in statements:
            for condition in statement.conditions:
                space = self._spaces.get(condition.key_lower)
                if space is None or condition.operator.family is OperatorFamily.NULL:
                    continue
                condition = self._plain(statement, condition)
                if not condition.values:
                    continue
                atom, regex = _string_atom(condition)
                test, samples, finite = _string_test(condition)
                space.add(atom, regex, test=test, samples=samples, finite=finite)
        resource_account = self._spaces[RESOURCE_ACCOUNT_KEY]
        for account in self._accounts:
            resource_account.add(
                "eq:" + account,
                z3.Re(string_val(account)),
                test=account.__eq__,
                samples=(account,),
                finite=True,
            )
        multi_keys = sorted(k for k, v in self._keys.items() if v.capacity > 1)
        if multi_keys:
            self.bounds.append("multivalued keys: " + ", ".join(multi_keys))

    def _key_vars(self, key: str, key_type: KeyType, capacity: int) -> KeyVars:
        count = z3.Int(f"count[{key}]")
        self.constraints += [count >= 0, count <= capacity]
        values: list[z3.ExprRef] = []
        v6: list[z3.BoolRef] = []
        for j in range(capacity):
            name = f"{key}[{j}]"
            if key_type is KeyType.STRING and key in self.text_keys:
                text = z3.String(name)
                values.append(text)
                if key in self._folded_keys:
                    self._add_fold(text)
            elif key_type is KeyType.STRING:
                values.append(z3.Int(name))
            elif key_type in (KeyType.NUMERIC, KeyType.DATE):
                value = z3.Int(name)
                values.append(value)
                if key_type is KeyType.DATE:
                    self.constraints += [value >= _MIN_DATE, value <= _MAX_DATE]
            else:
                address = z3.BitVec(name, 128)
                is_v6 = z3.Bool(f"{name}.v6")
                values.append(address)
                v6.append(is_v6)
                self.constraints.append(z3.Or(is_v6, z3.ULT(address, z3.BitVecVal(1 << 32, 128))))
        return KeyVars(key, key_type, capacity, count, values, v6)

    def _split_resource(self) -> None:
        """The resource string split at its fifth colon, for patterns with a wildcard in
        the first five fields and a variable after them (see ``pattern_matches``). The
        split is tied to the resource by constraints, once, outside every formula: a
        formula may be negated, and the parts are functions of the resource."""
        assert isinstance(self.resource, z3.SeqRef)
        has_five = z3.Bool("resource has five colons")
        first_five = z3.String("resource up to its fifth colon")
        rest = z3.String("resource after its fifth colon")
        field = z3.Concat(z3.Star(not_colon_char()), z3.Re(string_val(":")))
        fewer = z3.Concat(z3.Loop(field, 0, 4), z3.Star(not_colon_char()))
        self.constraints += [
            has_five == z3.Not(z3.InRe(self.resource, fewer)),
            z3.Implies(
                has_five,
                z3.And(
                    self.resource == z3.Concat(first_five, rest),
                    z3.InRe(first_five, z3.Loop(field, 5, 5)),
                ),
            ),
            z3.Implies(
                z3.Not(has_five), z3.And(first_five == string_val(""), rest == string_val(""))
            ),
        ]
        self.resource_fields = (has_five, first_five, rest)

    def _add_fold(self, text: z3.SeqRef) -> None:
        """A twin of the string slot ``text`` holding its ASCII lower-case form. The
        analyses get the link as a constraint (z3's ``seq.map``); a pinned request gets
        the folded text directly (see :meth:`pin`), so its formula still simplifies to
        a constant."""
        folded = z3.String(f"fold({text})")
        self._folds[text.get_id()] = (text, folded)
        # The length equation is implied, but stated it lets z3 prune without unfolding
        # the map.
        self.constraints += [
            folded == z3.SeqMap(_ASCII_LOWER, text),
            z3.Length(folded) == z3.Length(text),
        ]

    def _folded(self, text: z3.ExprRef) -> z3.SeqRef:
        return self._folds[text.get_id()][1]

    def _folded_value_of(self, key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
        """:meth:`_value_of`, case-folded."""
        present, value = self._value_of(key)
        return present, self._folded(value)

    def _add_account_atoms(self) -> None:
        not_colon = z3.Star(not_colon_char())
        colon = z3.Re(string_val(":"))
        head = z3.Concat(
            z3.Re(string_val("arn:")), not_colon, colon, not_colon, colon, not_colon, colon
        )

        def account_field(account: z3.ReRef) -> z3.ReRef:
            return z3.Concat(head, account, colon, z3.Star(any_char()))

        def account_test(account: str) -> Callable[[str], bool]:
            # The same language as account_field, for the concrete shortcuts.
            compiled = re.compile(f"arn:[^:]*:[^:]*:[^:]*:{account}:.*", re.DOTALL)

            def test(text: str) -> bool:
                return compiled.fullmatch(text) is not None

            return test

        self.resources.add(
            "account:any",
            account_field(not_colon),
            test=account_test("[^:]*"),
            samples=("arn:aws:fmlab:x:123456789012:x",),
        )
        self.resources.add(
            "account:empty",
            account_field(z3.Re(string_val(""))),
            test=account_test(""),
            samples=("arn:aws:fmlab:x::x",),
        )
        for account in self._accounts:
            self.resources.add(
                "account:" + account,
                account_field(z3.Re(string_val(account))),
                test=account_test(re.escape(account)),
                samples=(f"arn:aws:fmlab:x:{account}:x",),
            )

    def _encode_cross_account(self) -> z3.BoolRef:
        """Whether the resource's account differs from the principal's, as
        :func:`fmlab.iam._request.resource_account` defines it."""
        holds = self.resources.holds
        field_is = [
            z3.And(self._principal_in(numbers), holds(self.resource, "account:" + account))
            for account, numbers in self._accounts.items()
        ]
        field_differs = z3.And(
            holds(self.resource, "account:any"),
            z3.Not(holds(self.resource, "account:empty")),
            z3.Not(z3.Or(field_is or [z3.BoolVal(False)])),
        )
        given = self._keys[RESOURCE_ACCOUNT_KEY]
        space = self._spaces[RESOURCE_ACCOUNT_KEY]
        slot = given.values[0]
        given_is = [
            z3.And(self._principal_in(numbers), space.holds(slot, "eq:" + account))
            for account, numbers in self._accounts.items()
        ]
        return z3.If(
            given.count == 1, z3.Not(z3.Or(given_is or [z3.BoolVal(False)])), field_differs
        )

    def _principal_in(self, numbers: Iterable[int]) -> z3.BoolRef:
        chosen = list(numbers)
        if not chosen:
            return z3.BoolVal(False)
        if len(chosen) == len(self.principals):
            return z3.BoolVal(True)
        return z3.Or([self.principal == n for n in chosen])

    # --- statements -----------------------------------------------------------------

    def _grouped(self, actions: ActionDomain, statements: list[Statement]) -> ActionDomain:
        """The action classes renumbered so that classes the same statements cover are
        neighbours: a statement's action test is then a few ranges of class numbers,
        not one equation per class (a managed policy lists thousands of actions, and
        z3 is much faster on a handful of bounds)."""
        members: list[list[int]] = [[] for _ in range(len(actions))]
        for position, statement in enumerate(statements):
            for number in actions.classes_of(statement):
                members[number].append(position)
        order = sorted(range(len(actions)), key=lambda number: (members[number], number))
        return actions.reordered(order)

    def action_classes(self, statement: Statement) -> frozenset[int]:
        """The action classes a statement's Action (or NotAction) element covers."""
        found = self._action_classes.get(id(statement))
        if found is None:
            found = self._action_classes[id(statement)] = self.actions.classes_of(statement)
        return found

    def _action_in(self, statement: Statement) -> z3.BoolRef:
        covered = sorted(self.action_classes(statement))
        if not covered:
            return z3.BoolVal(False)
        if len(covered) == len(self.actions):
            return z3.BoolVal(True)
        ranges: list[list[int]] = []
        for number in covered:
            if ranges and ranges[-1][1] == number - 1:
                ranges[-1][1] = number
            else:
                ranges.append([number, number])
        parts = [
            self.action == low if low == high else z3.And(self.action >= low, self.action <= high)
            for low, high in ranges
        ]
        return parts[0] if len(parts) == 1 else z3.Or(parts)

    def _resource_in(self, statement: Statement) -> z3.BoolRef:
        if statement.resources is None:
            return z3.BoolVal(True)
        plain, with_variables = self._split(statement, statement.resources)
        parts = [self.resources.holds(self.resource, _resource_atom_name(plain))] if plain else []
        parts += [
            self._variable_formula(self.resource, p, "arn", fields=self.resource_fields)
            for p in with_variables
        ]
        hit = parts[0] if len(parts) == 1 else z3.Or(parts)
        return z3.Not(hit) if statement.not_resource else hit

    def principal_matches(
        self, statement: Statement, *wanted: PrincipalMatch, bounded: bool = False
    ) -> z3.BoolRef:
        """The principals ``statement`` names (in one of the ``wanted`` ways); ``bounded``
        when the principal has a permissions boundary attached."""
        numbers = []
        for number, info in enumerate(self.principals.principals):
            how = statement_principal(statement, info.arn, bounded=bounded)
            if how is not PrincipalMatch.NONE and (not wanted or how in wanted):
                numbers.append(number)
        return self._principal_in(numbers)

    def applies(self, statement: Statement, kind: PolicyKind, bounded: bool = False) -> z3.BoolRef:
        """Action, resource and conditions match (and the principal, for resource-side
        kinds; ``bounded`` as in :meth:`principal_matches`)."""
        slot = (id(statement) * 8 + list(PolicyKind).index(kind)) * 2 + bounded
        cached = self._cache.get(slot)
        if cached is not None:
            return cached
        parts = [self._action_in(statement), self._resource_in(statement)]
        parts += [self.condition(c, statement) for c in statement.conditions]
        if kind.names_principals:
            parts.append(self.principal_matches(statement, bounded=bounded))
        formula = z3.And(parts)
        self._cache[slot] = formula
        return formula

    # --- conditions -----------------------------------------------------------------

    def _plain(self, statement: Statement, condition: Condition) -> Condition:
        """The condition with only its values that hold no policy variable."""
        if condition.operator.family not in (OperatorFamily.STRING, OperatorFamily.ARN):
            return condition
        plain, with_variables = self._split(statement, condition.values)
        return dataclasses.replace(condition, values=plain) if with_variables else condition

    def condition(self, condition: Condition, statement: Statement | None = None) -> z3.BoolRef:
        """The condition's formula; ``statement`` (its statement) tells whether ``${...}``
        in its values is a policy variable."""
        key = self._keys[condition.key_lower]
        operator = condition.operator
        absent = key.count == 0
        if operator.family is OperatorFamily.NULL:
            return z3.Or([absent if parse_bool(v) else z3.Not(absent) for v in condition.values])

        def satisfied(j: int) -> z3.BoolRef:
            slot = key.values[j]
            if key.type is KeyType.STRING:
                # One atom for all of the condition's plain values: "matches one of them";
                # a formula for each value with a variable.
                plain = self._plain(statement, condition) if statement else condition
                with_variables = [v for v in condition.values if v not in plain.values]
                parts = []
                if plain.values:
                    parts.append(self._spaces[key.name].holds(slot, _string_atom(plain)[0]))
                semantics = _semantics(condition)
                fold = "IgnoreCase" in operator.base
                parts += [
                    self._variable_formula(slot, v, semantics, fold=fold) for v in with_variables
                ]
                hit = parts[0] if len(parts) == 1 else z3.Or(parts)
            else:
                hit = z3.Or([self._value_matches(condition, v, key, j) for v in condition.values])
            return z3.Not(hit) if operator.negated else hit

        slots = range(key.capacity)
        if operator.qualifier is SetQualifier.FOR_ALL_VALUES:
            return z3.And([z3.Implies(j < key.count, satisfied(j)) for j in slots])
        every = z3.And([z3.Implies(j < key.count, satisfied(j)) for j in slots])
        some = z3.Or([z3.And(j < key.count, satisfied(j)) for j in slots])
        if operator.qualifier is SetQualifier.FOR_ANY_VALUE:
            # False on a missing key, IfExists or not (fmlab's reading; see _readings).
            return z3.If(absent, z3.BoolVal(False), some)
        present = every if operator.negated else some
        return z3.If(absent, z3.BoolVal(operator.if_exists or operator.negated), present)

    def _value_matches(
        self, condition: Condition, policy_value: str, key: KeyVars, j: int
    ) -> z3.BoolRef:
        operator = condition.operator
        family = operator.family
        value = key.values[j]

        if family is OperatorFamily.NUMERIC:
            scaled = parse_number(policy_value) * self._scale
            assert scaled.denominator == 1
            return _compare(comparison(operator.base), value, z3.IntVal(scaled.numerator))
        if family is OperatorFamily.DATE:
            return _compare(comparison(operator.base), value, z3.IntVal(parse_date(policy_value)))
        if family is OperatorFamily.IP:
            network = parse_network(policy_value)
            is_v6 = key.v6[j]
            width = 128 if network.version == 6 else 32
            shift = width - network.prefixlen
            base = int(network.network_address)
            assert isinstance(value, z3.BitVecRef)
            same_prefix = (
                z3.BoolVal(True)
                if shift == width
                else z3.LShR(value, shift) == z3.BitVecVal(base >> shift, 128)
            )
            return z3.And(is_v6 if network.version == 6 else z3.Not(is_v6), same_prefix)
        raise AssertionError(family)

    # --- decisions ------------------------------------------------------------------

    def statements(self, set_index: int) -> list[tuple[StatementKey, Statement, z3.BoolRef]]:
        out = []
        policies = self.policy_sets[set_index]
        bounded = policies.boundary is not None
        for kind, index, policy in policies.items():
            for statement in policy.statements:
                key = StatementKey(set_index, kind, index, statement.index)
                out.append((key, statement, self.applies(statement, kind, bounded)))
        return out

    def decision(self, set_index: int) -> tuple[z3.BoolRef, z3.BoolRef]:
        """``(explicit_deny, allow)`` for one policy set, mirroring the concrete logic."""
        if not self.decisions:
            raise RuntimeError("this encoder was built with decisions=False")
        policies = self.policy_sets[set_index]
        entries = self.statements(set_index)
        bounded = policies.boundary is not None

        def any_of(kind: PolicyKind, effect: Effect, *how: PrincipalMatch) -> z3.BoolRef:
            parts = []
            for key, statement, formula in entries:
                if key.kind is not kind or statement.effect is not effect:
                    continue
                if how:
                    named = self.principal_matches(statement, *how, bounded=bounded)
                    formula = z3.And(formula, named)
                parts.append(formula)
            return z3.Or(parts) if parts else z3.BoolVal(False)

        deny = z3.Or([f for _k, s, f in entries if s.effect is Effect.DENY] or [z3.BoolVal(False)])
        allow = Effect.ALLOW

        def layer(kind: PolicyKind) -> z3.BoolRef:
            if policies.of(kind) is None:
                return z3.BoolVal(True)
            return any_of(kind, allow)

        infos = self.principals.principals
        has_account = self._principal_in(i for i, p in enumerate(infos) if p.account is not None)
        root = self._principal_in(i for i, p in enumerate(infos) if p.kind is PrincipalKind.ROOT)
        session = self._principal_in(i for i, p in enumerate(infos) if p.kind.is_session)
        federated = self._principal_in(
            i for i, p in enumerate(infos) if p.kind is PrincipalKind.FEDERATED_USER
        )
        identity = any_of(PolicyKind.IDENTITY, allow)
        resource_any = any_of(PolicyKind.RESOURCE, allow)
        anyone = any_of(PolicyKind.RESOURCE, allow, PrincipalMatch.ANYONE)
        # Principal "*" names a non-session caller directly; a session's session policy
        # still limits it (fmlab's reading of an undocumented case, as in the evaluator).
        direct = z3.Or(
            any_of(PolicyKind.RESOURCE, allow, PrincipalMatch.DIRECT),
            z3.And(z3.Not(session), anyone),
        )
        via_role = any_of(PolicyKind.RESOURCE, allow, PrincipalMatch.ROLE)
        # On a KMS key, identity policies and the root user's own access count only when
        # the key policy allows the account ("enables IAM policies").
        kms_key = self.resources.holds(self.resource, KMS_KEY_ATOM)
        enabling = any_of(PolicyKind.RESOURCE, allow, PrincipalMatch.ACCOUNT)
        identity_here = z3.And(identity, z3.Implies(kms_key, enabling))
        root_here = z3.And(root, z3.Implies(kms_key, enabling))
        session_ok = (
            z3.Not(federated) if policies.session is None else any_of(PolicyKind.SESSION, allow)
        )
        session_gate = z3.Implies(session, session_ok)
        boundary_ok = layer(PolicyKind.BOUNDARY)
        later_gates = z3.Or(root, z3.And(boundary_ok, session_gate))
        cross = self.cross_account
        principal_side = z3.If(
            cross,
            z3.And(resource_any, z3.Or(identity, root), later_gates),
            z3.Or(
                direct,
                root_here,
                z3.And(z3.Or(identity_here, via_role), boundary_ok, session_gate),
                z3.And(session, anyone, session_gate),
            ),
        )
        allowed = z3.And(
            z3.Not(deny),
            layer(PolicyKind.RCP),
            z3.If(has_account, z3.And(layer(PolicyKind.SCP), principal_side), resource_any),
        )
        return deny, allowed

    # --- requests in and out --------------------------------------------------------

    def pin(self, request: Request) -> list[tuple[z3.ExprRef, z3.ExprRef]]:
        """The substitution that fixes the symbolic request to ``request``."""
        action_class = self.actions.class_of(request.action)
        principal = self.principals.index(request.principal)
        if action_class is None or principal is None:
            raise UnsupportedError("the request lies outside the encoded domains")
        resource: z3.ExprRef = (
            string_val(request.resource)
            if self.resources.text_mode
            else z3.IntVal(self.resources.add_text(request.resource))
        )
        pins: list[tuple[z3.ExprRef, z3.ExprRef]] = [
            (self.action, z3.IntVal(action_class)),
            (self.principal, z3.IntVal(principal)),
            (self.resource, resource),
        ]
        if self.resource_fields is not None:
            has_five, first_five, rest = self.resource_fields
            parts = request.resource.split(":", 5)
            split = len(parts) == 6
            pins += [
                (has_five, z3.BoolVal(split)),
                (first_five, string_val(":".join(parts[:5]) + ":" if split else "")),
                (rest, string_val(parts[5] if split else "")),
            ]
        for name, key in self._keys.items():
            values = request.context.get(name, ())
            if len(values) > key.capacity:
                raise UnsupportedError(f'context key "{name}": more values than encoded')
            pins.append((key.count, z3.IntVal(len(values))))
            for j in range(key.capacity):
                text = values[j] if j < len(values) else None
                pins.extend(self._pin_value(key, j, text))
                if key.values[j].get_id() in self._folds:
                    pins.append((self._folded(key.values[j]), string_val(ascii_lower(text or ""))))
        return pins

    def _pin_value(
        self, key: KeyVars, j: int, text: str | None
    ) -> list[tuple[z3.ExprRef, z3.ExprRef]]:
        # Unused slots get a fixed filler so the formula simplifies to a constant.
        value = key.values[j]
        if key.type is KeyType.STRING and self._spaces[key.name].text_mode:
            return [(value, string_val(text or ""))]
        if key.type is KeyType.STRING:
            number = 0 if text is None else self._spaces[key.name].add_text(text)
            return [(value, z3.IntVal(number))]
        if key.type is KeyType.NUMERIC:
            if text is None:
                return [(value, z3.IntVal(0))]
            try:
                scaled = parse_number(text) * self._scale
            except ValueError:
                raise UnsupportedError(f'"{text}" is not a number ({key.name})') from None
            if scaled.denominator != 1:
                raise UnsupportedError(f'"{text}" has more decimals than the encoding holds')
            return [(value, z3.IntVal(scaled.numerator))]
        if key.type is KeyType.DATE:
            if text is None:
                return [(value, z3.IntVal(0))]
            try:
                return [(value, z3.IntVal(parse_date(text)))]
            except (ValueError, OverflowError):
                raise UnsupportedError(f'"{text}" is not a date ({key.name})') from None
        address = parse_address(text) if text is not None else parse_address("0.0.0.0")
        if address is None:
            raise UnsupportedError(f'"{text}" is not an IP address ({key.name})')
        return [
            (key.v6[j], z3.BoolVal(address.version == 6)),
            (value, z3.BitVecVal(int(address), 128)),
        ]

    def decode(self, model: z3.ModelRef) -> Request:
        """The request a model describes, in the form the concrete evaluator reads."""
        action = self.actions.representatives[_int(model, self.action)]
        principal = self.principals.principals[_int(model, self.principal)].arn
        if isinstance(self.resource, z3.SeqRef):
            resource = decode_string(model, self.resource)
        else:
            resource = self.resources.representative(_int(model, self.resource))
        context: dict[str, tuple[str, ...]] = {}
        for name, key in self._keys.items():
            count = _int(model, key.count)
            if count == 0:
                continue
            context[name] = tuple(self._decode_value(model, key, j) for j in range(count))
        account = self.principals.principals[_int(model, self.principal)].account
        if self.same_account_only and account is not None:
            context[RESOURCE_ACCOUNT_KEY] = (account,)
        return Request(principal, action, resource, context)

    def _decode_value(self, model: z3.ModelRef, key: KeyVars, j: int) -> str:
        value = key.values[j]
        if isinstance(value, z3.SeqRef):
            return decode_string(model, value)
        if key.type is KeyType.STRING:
            return self._spaces[key.name].representative(_int(model, value))
        number = _int(model, value)
        if key.type is KeyType.NUMERIC:
            return _decimal_text(Fraction(number, self._scale))
        if key.type is KeyType.DATE:
            return format_date(number)
        is_v6 = z3.is_true(model.eval(key.v6[j], model_completion=True))
        return str(ipaddress.IPv6Address(number) if is_v6 else ipaddress.IPv4Address(number))


def _union(regexes: list[z3.ReRef]) -> z3.ReRef:
    return regexes[0] if len(regexes) == 1 else z3.Union(*regexes)


def _semantics(condition: Condition) -> Semantics:
    if condition.operator.family is OperatorFamily.ARN:
        return "arn"
    return "like" if "Like" in condition.operator.base else "eq"


def _check_variable_pattern(text: str, semantics: Semantics) -> None:
    """Raise :class:`UnsupportedError` now for a pattern the variable encoding does not
    cover, rather than later while formulas are built."""
    probe = z3.String("probe")
    try:
        pattern_matches(probe, text, semantics, lambda _key: (z3.BoolVal(True), probe))
    except VariableSupportError as error:
        raise UnsupportedError(str(error)) from None


def _arn_or_star(text: str) -> bool:
    return text == "*" or text.startswith("arn:")


def _resource_atom_name(patterns: tuple[str, ...]) -> str:
    return "res:" + "\x1f".join(patterns)


def _resource_atom(patterns: tuple[str, ...]) -> tuple[str, z3.ReRef]:
    """The atom "the resource matches one of ``patterns``" (a statement's whole list:
    atoms per list rather than per pattern keep the number of string classes small)."""
    return _resource_atom_name(patterns), _union([arn_re(glob(p)) for p in patterns])


_AtomTest = tuple[Callable[[str], bool], tuple[str, ...], bool]


def _any_of(
    globs: Sequence[Glob], matcher: Callable[[Glob], Callable[[str], bool]]
) -> Callable[[str], bool]:
    """Matches any of ``globs``: the concrete evaluator's own (linear-time) matchers."""
    tests = [matcher(pattern) for pattern in globs]

    def test(text: str) -> bool:
        return any(one(text) for one in tests)

    return test


def _instances(pattern: Glob) -> tuple[str, ...]:
    """A few strings a pattern matches: wildcards as nothing, and as one letter."""
    short = "".join(
        t[0] if isinstance(t, tuple) else "" if t == STAR else "x" for t in pattern.tokens
    )
    long = "".join(t[0] if isinstance(t, tuple) else "x" for t in pattern.tokens)
    return (short, long) if short != long else (short,)


def _resource_test(patterns: tuple[str, ...]) -> _AtomTest:
    """The resource atom as a Python predicate (the concrete matcher), with samples."""
    globs = [glob(p) for p in patterns]
    samples = tuple(text for pattern in globs for text in _instances(pattern))
    finite = all(pattern.literal is not None for pattern in globs)
    return _any_of(globs, arn_matcher), samples, finite


def _string_test(condition: Condition) -> _AtomTest:
    """The atom of :func:`_string_atom` as a Python predicate, with samples."""
    operator = condition.operator
    family = operator.family
    values = condition.values
    if family is OperatorFamily.ARN:
        globs = [glob(v) for v in values]
        samples = tuple(text for pattern in globs for text in _instances(pattern))
        return _any_of(globs, arn_matcher), samples, False
    if family is OperatorFamily.STRING and "Like" in operator.base:
        globs = [glob(v) for v in values]
        samples = tuple(text for pattern in globs for text in _instances(pattern))
        finite = all(pattern.literal is not None for pattern in globs)
        return _any_of(globs, glob_matcher), samples, finite
    if family is OperatorFamily.BOOL or (
        family is OperatorFamily.STRING and "IgnoreCase" in operator.base
    ):
        if family is OperatorFamily.BOOL:
            words = frozenset("true" if parse_bool(v) else "false" for v in values)
        else:
            words = frozenset(ascii_lower(v) for v in values)

        def ignoring_case(text: str) -> bool:
            return ascii_lower(text) in words

        return ignoring_case, (*sorted(words), *(w.upper() for w in sorted(words))), False
    exact = frozenset(values)
    return exact.__contains__, tuple(values), True


def _service_tag(patterns: tuple[str, ...]) -> frozenset[str] | None:
    """The literal service segments of ARN patterns, or ``None`` when one may be anything.

    Two patterns with different literal service segments match disjoint sets of ARNs,
    which lets the string classes be computed service by service."""
    services = set()
    for pattern in patterns:
        parts = pattern.split(":")
        if len(parts) < 4 or "*" in parts[2] or "?" in parts[2] or "$" in parts[2]:
            return None
        services.add(parts[2])
    return frozenset(services)


def _string_atom(condition: Condition) -> tuple[str, z3.ReRef]:
    """The atom a string-valued condition tests: "matches one of its values"."""
    operator = condition.operator
    family = operator.family
    values = condition.values
    if family is OperatorFamily.ARN:
        kind, regexes = "arn", [arn_re(glob(v)) for v in values]
    elif family is OperatorFamily.BOOL:
        words = sorted({"true" if parse_bool(v) else "false" for v in values})
        kind, values = "ieq", tuple(words)
        regexes = [ignore_case_re(w) for w in words]
    elif family is OperatorFamily.STRING and "Like" in operator.base:
        kind, regexes = "like", [glob_re(glob(v)) for v in values]
    elif family is OperatorFamily.STRING and "IgnoreCase" in operator.base:
        kind, regexes = "ieq", [ignore_case_re(v) for v in values]
        values = tuple(ascii_lower(v) for v in values)
    else:
        kind, regexes = "eq", [z3.Re(string_val(v)) for v in values]
    return kind + ":" + "\x1f".join(values), _union(regexes)


def _int(model: z3.ModelRef, term: z3.ExprRef) -> int:
    value = model.eval(term, model_completion=True)
    return int(value.as_long())


def _decimal_text(number: Fraction) -> str:
    sign = "-" if number < 0 else ""
    number = abs(number)
    whole, rest = divmod(number.numerator, number.denominator)
    if rest == 0:
        return f"{sign}{whole}"
    digits: list[str] = []
    while rest and len(digits) < 30:
        rest *= 10
        digit, rest = divmod(rest, number.denominator)
        digits.append(str(digit))
    return f"{sign}{whole}." + "".join(digits)


def _compare(kind: str, left: z3.ExprRef, right: z3.ExprRef) -> z3.BoolRef:
    if kind in ("Equals", "NotEquals"):
        return left == right
    if kind == "LessThan":
        return left < right
    if kind == "LessThanEquals":
        return left <= right
    if kind == "GreaterThan":
        return left > right
    return left >= right


def decision_of(explicit: bool, allowed: bool) -> Decision:
    if explicit:
        return Decision.EXPLICIT_DENY
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


def evaluate_symbolic(
    policies: PolicySet,
    request: Request,
    *,
    catalog: Catalog | None = None,
    timeout_ms: int | None = None,  # kept for a uniform engine signature
) -> Evaluation | Unknown:
    """Decide one request with the symbolic engine: its formula, with the request's
    values substituted and simplified to a constant (no search is needed).

    The answer should always equal :func:`fmlab.iam._evaluator.evaluate`'s; the
    differential tests check that it does. ``statements`` lists the statements whose
    formulas are true: the deny statements for an explicit deny, the allowing ones for
    an allow.
    """
    claim = "the symbolic engine decides the request"
    try:
        encoder = Encoder(
            [policies], catalog=catalog, extra_requests=[request], enumerate_strings=False
        )
        pins = encoder.pin(request)
    except UnsupportedError as error:
        return Unknown(claim, error.reason, str(error))
    deny, allowed = encoder.decision(0)

    def value(formula: z3.BoolRef) -> bool | None:
        reduced = z3.simplify(z3.substitute(formula, *pins))
        return True if z3.is_true(reduced) else False if z3.is_false(reduced) else None

    explicit = value(deny)
    allow = value(allowed)
    if explicit is None or allow is None:
        return Unknown(claim, UnknownReason.INCOMPLETE, "the formula did not reduce to a constant")
    decision = decision_of(explicit, allow)
    refs: list[StatementRef] = []
    if decision is not Decision.IMPLICIT_DENY:
        effect = Effect.DENY if explicit else Effect.ALLOW
        for key, statement, formula in encoder.statements(0):
            if statement.effect is effect and value(formula):
                policy = policies.of(key.kind)
                assert policy is not None
                refs.append(
                    StatementRef.of(key.kind, key.policy_index, policy[key.policy_index], statement)
                )
    reason = {
        Decision.EXPLICIT_DENY: "an applicable statement denies",
        Decision.ALLOW: "allowed",
        Decision.IMPLICIT_DENY: "no combination of policies allows the request",
    }[decision]
    return Evaluation(decision, tuple(refs), reason, {"engine": "symbolic"})
