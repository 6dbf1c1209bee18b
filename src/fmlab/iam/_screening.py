"""Conflict questions settled before the solver: from the patterns, or by one request.

Every question :func:`fmlab.iam._conflicts.find_conflicts` asks has one shape: *is there
a request to which all of some statements apply and none of some others?* An overlap asks
it of an Allow and a Deny (both apply), a shadowed Allow of an Allow and the Denies (it
applies, none of them does), a redundant statement of two statements of one effect. Most
of these questions need no solver:

* **yes**, shown by a request built from the statements' own patterns and condition
  values (an instance of each pattern, each condition's values and their neighbours) and
  checked with the concrete matcher, :func:`fmlab.iam._matching.statement_applies`; the
  caller replays it again like every witness;
* **no**, shown from the patterns: statements whose action classes or resource patterns
  cannot meet, or one statement *covering* another (its action classes, each resource
  pattern inside one of its patterns, its conditions among the other's).

A question neither settles goes to z3. The requests stay inside the symbolic engine's
bounds (a catalog action class's representative, a resource that is ``"*"`` or an ARN,
one value per key, of the type its operators read), so the answer is the one the solver
would give.

>>> from fmlab.iam._parser import parse_policy
>>> policy = parse_policy({"Version": "2012-10-17", "Statement": [
...     {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
...     {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/q1/*"}]})
>>> allow, deny = (Screened(s, True, frozenset({0})) for s in policy.statements)
>>> screen = Screen(["s3:GetObject"])
>>> screen.decide([allow, deny], []).request.resource  # both apply: an overlap
'arn:aws:s3:::reports/q1/x'
>>> screen.decide([deny], [allow]).holds  # no request the Deny covers escapes the Allow
False
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from fmlab.iam._conditions import condition_holds
from fmlab.iam._matching import action_covered, conditions_hold, resource_covered
from fmlab.iam._model import Condition, OperatorFamily, Statement
from fmlab.iam._operators import format_date, parse_date, parse_network
from fmlab.iam._patterns import (
    STAR,
    Glob,
    glob,
    glob_disjoint,
    glob_subset,
    has_variables,
    resolve,
    substitute,
)
from fmlab.iam._policy_variables import variable_keys
from fmlab.iam._request import Request
from fmlab.iam._universe import FRESH_ACCOUNT

VARIABLE_VALUE = "fmlab"
"""The value a sampled request gives a key that a policy variable reads."""
PRINCIPAL = f"arn:aws:iam::{FRESH_ACCOUNT}:user/fmlab-user"
"""Who asks: identity statements do not look at the principal (a user in the engine's
fresh account, one of its principal representatives)."""
GENERIC_ARN = "arn:aws:fmlab:us-east-1:999900001111:fmlab/fmlab"
MAX_CONTEXTS = 48
MAX_RESOURCES = 64
_MIN_DATE = -62_135_596_800 * 1_000_000  # the symbolic engine's date range
_MAX_DATE = 253_402_300_799 * 1_000_000


@dataclass(frozen=True)
class Screened:
    """A statement as the screen sees it: whether ``${...}`` is a policy variable in its
    policy, and the action classes it covers (numbers of one action domain)."""

    statement: Statement
    variables: bool
    classes: frozenset[int]


@dataclass(frozen=True)
class Answer:
    """``holds`` is ``True`` with a request that shows it, ``False`` when the patterns
    rule every request out, ``None`` when the screen cannot tell (ask the solver)."""

    holds: bool | None
    request: Request | None = None


UNDECIDED = Answer(None)


def applies(side: Screened, request: Request) -> bool:
    return (
        action_covered(side.statement, request.action)
        and resource_covered(side.statement, request, variables=side.variables)
        and conditions_hold(side.statement, request, variables=side.variables)
    )


class Screen:
    """Settles questions over one action domain, given as its class representatives."""

    def __init__(
        self,
        representatives: Sequence[str],
        principal: str = PRINCIPAL,
    ) -> None:
        self.representatives = tuple(representatives)
        self.principal = principal

    def decide(self, apply: Sequence[Screened], avoid: Sequence[Screened]) -> Answer:
        """Is there a request to which every statement of ``apply`` applies and none of
        ``avoid`` does?"""
        if not apply:
            return UNDECIDED
        if excluded(apply, avoid):
            return Answer(False)
        request = self.sample(apply, avoid)
        if request is not None:
            return Answer(True, request)
        return UNDECIDED

    def sample(self, apply: Sequence[Screened], avoid: Sequence[Screened]) -> Request | None:
        """A request built from the statements' patterns and values that all of ``apply``
        and none of ``avoid`` apply to, checked concretely; ``None`` if none was found."""
        common = frozenset.intersection(*(side.classes for side in apply))
        if not common:
            return None
        actions = self._actions(common, avoid)
        everyone = [*apply, *avoid]
        for context in _contexts(apply, everyone):
            if not all(_conditions_hold(side, context) for side in apply):
                continue
            condition_mask = _mask([_conditions_hold(side, context) for side in avoid])
            for resource in _resources(everyone, context):
                probe = Request(self.principal, "", resource, context)
                if not all(_resource_admits(side, probe) for side in apply):
                    continue
                resource_mask = condition_mask & _mask(
                    [_resource_admits(side, probe) for side in avoid]
                )
                for action_mask, action in actions:
                    if action_mask & resource_mask:
                        continue
                    request = Request(self.principal, action, resource, context)
                    # The masks were the parts; the whole statements decide.
                    if all(applies(s, request) for s in apply) and not any(
                        applies(s, request) for s in avoid
                    ):
                        return request
        return None

    def _actions(self, common: frozenset[int], avoid: Sequence[Screened]) -> list[tuple[int, str]]:
        """One representative per way the ``avoid`` statements cover an action class, the
        classes fewest of them cover first."""
        chosen: dict[int, str] = {}
        for number in sorted(common):
            mask = _mask([number in side.classes for side in avoid])
            if mask not in chosen:
                chosen[mask] = self.representatives[number]
        return sorted(chosen.items(), key=lambda item: (bin(item[0]).count("1"), item[0]))


def excluded(apply: Sequence[Screened], avoid: Sequence[Screened]) -> bool:
    """Shown from the patterns: no request has all of ``apply`` and none of ``avoid``."""
    if not frozenset.intersection(*(side.classes for side in apply)):
        return True
    for position, one in enumerate(apply):
        if any(apart(one, other) for other in apply[position + 1 :]):
            return True
    return any(covers(outer, inner) for outer in avoid for inner in apply)


def covers(outer: Screened, inner: Screened) -> bool:
    """Shown from the patterns: ``outer`` applies to every request ``inner`` applies to."""
    return (
        inner.classes <= outer.classes
        and _resources_within(inner, outer)
        and _conditions_within(inner, outer)
    )


def apart(one: Screened, other: Screened) -> bool:
    """Shown from the patterns: no request has both statements apply."""
    if not one.classes & other.classes or _conditions_apart(one, other):
        return True
    first, second = one.statement, other.statement
    if first.resources is None or second.resources is None:
        return False
    if first.not_resource and second.not_resource:
        return False
    if not first.not_resource and not second.not_resource:
        return all(
            _patterns_apart(p, one.variables, q, other.variables)
            for p in first.resources
            for q in second.resources
        )
    if first.not_resource:
        named, excluded_there, inside, outside = second.resources, first.resources, other, one
    else:
        named, excluded_there, inside, outside = first.resources, second.resources, one, other
    # What ``inside`` names lies within what ``outside`` excludes.
    return all(
        any(_pattern_within(p, inside.variables, q, outside.variables) for q in excluded_there)
        for p in named
    )


# --- patterns ---------------------------------------------------------------------------


def _variable_pattern(text: str, variables: bool) -> bool:
    return variables and has_variables(text)


def _pattern_within(inner: str, inner_variables: bool, outer: str, outer_variables: bool) -> bool:
    """Every resource ``inner`` matches, ``outer`` matches (in any request context)."""
    if _variable_pattern(inner, inner_variables) or _variable_pattern(outer, outer_variables):
        # The same text read the same way matches the same resources in every context.
        return inner == outer and inner_variables == outer_variables
    return glob_subset(glob(inner), glob(outer), arn=True)


def _patterns_apart(one: str, one_variables: bool, other: str, other_variables: bool) -> bool:
    if _variable_pattern(one, one_variables) or _variable_pattern(other, other_variables):
        return False
    return glob_disjoint(glob(one), glob(other), arn=True)


def _resources_within(inner: Screened, outer: Screened) -> bool:
    theirs, ours = outer.statement, inner.statement
    if theirs.resources is None:
        return True
    if not theirs.not_resource and STAR in theirs.resources:
        return True
    if ours.resources is None:
        return False
    if not theirs.not_resource:
        if ours.not_resource:
            return False
        return all(
            any(_pattern_within(p, inner.variables, q, outer.variables) for q in theirs.resources)
            for p in ours.resources
        )
    if ours.not_resource:
        # Both name what they exclude: ``inner`` must exclude all ``outer`` excludes.
        return all(
            any(_pattern_within(q, outer.variables, p, inner.variables) for p in ours.resources)
            for q in theirs.resources
        )
    return all(
        _patterns_apart(p, inner.variables, q, outer.variables)
        for p in ours.resources
        for q in theirs.resources
    )


def _values_within(
    inner: Condition, inner_variables: bool, outer: Condition, outer_variables: bool
) -> bool:
    """Every request value that matches one of ``inner``'s values matches one of
    ``outer``'s (the two conditions have one operator family)."""
    family = inner.operator.family
    like = "Like" in inner.operator.base or family is OperatorFamily.ARN
    reads = family in (OperatorFamily.STRING, OperatorFamily.ARN)

    def within(value: str, other: str) -> bool:
        if reads and (
            _variable_pattern(value, inner_variables) or _variable_pattern(other, outer_variables)
        ):
            # The same text read the same way stands for the same value in any request.
            return value == other and inner_variables == outer_variables
        if value == other:
            return True
        return like and glob_subset(glob(value), glob(other), arn=family is OperatorFamily.ARN)

    return all(any(within(v, w) for w in outer.values) for v in inner.values)


def _implies(
    inner: Condition, inner_variables: bool, outer: Condition, outer_variables: bool
) -> bool:
    """Shown from the values: whenever ``inner`` holds, ``outer`` holds. One operator
    on one key: a positive operator holds for fewer values when it lists fewer, a
    negated one (it must match none of them) when it lists more."""
    if inner.key_lower != outer.key_lower or inner.operator != outer.operator:
        return False
    if inner.operator.family is OperatorFamily.NULL:
        return set(inner.values) == set(outer.values)
    if inner.operator.negated:
        return _values_within(outer, outer_variables, inner, inner_variables)
    return _values_within(inner, inner_variables, outer, outer_variables)


def _conditions_within(inner: Screened, outer: Screened) -> bool:
    """Each condition of ``outer`` follows from one of ``inner``'s, so ``outer``'s all
    hold whenever ``inner``'s do."""
    return all(
        any(_implies(c, inner.variables, d, outer.variables) for c in inner.statement.conditions)
        for d in outer.statement.conditions
    )


def _needs_key(condition: Condition) -> bool:
    """The condition is false when its key is absent."""
    operator = condition.operator
    return (
        operator.family is not OperatorFamily.NULL
        and operator.qualifier is None
        and not operator.negated
        and not operator.if_exists
    )


def _contradict(
    one: Condition, one_variables: bool, other: Condition, other_variables: bool
) -> bool:
    """Shown from the values: no context satisfies both conditions (on one key)."""
    if one.key_lower != other.key_lower:
        return False
    null = OperatorFamily.NULL
    if one.operator.family is null or other.operator.family is null:
        # Null "true" wants the key absent; Null "false" and a positive operator
        # without IfExists want it present.
        def absent_only(c: Condition) -> bool:
            return c.operator.family is null and all(v.lower() == "true" for v in c.values)

        def present_only(c: Condition) -> bool:
            if c.operator.family is null:
                return all(v.lower() == "false" for v in c.values)
            return _needs_key(c)

        return (absent_only(one) and present_only(other)) or (
            present_only(one) and absent_only(other)
        )
    if _needs_key(other) and one.operator.negated:
        one, one_variables, other, other_variables = other, other_variables, one, one_variables
    if not (_needs_key(one) and other.operator.negated and other.operator.qualifier is None):
        return False
    if other.operator.base.replace("Not", "", 1) != one.operator.base:
        return False
    # ``one`` needs a value matching one of its values, each of which matches one of
    # ``other``'s; ``other`` needs every value to match none of them.
    return _values_within(one, one_variables, other, other_variables)


def _conditions_apart(one: Screened, other: Screened) -> bool:
    return any(
        _contradict(c, one.variables, d, other.variables)
        for c in one.statement.conditions
        for d in other.statement.conditions
    )


# --- sampling ---------------------------------------------------------------------------


def _mask(flags: Iterable[bool]) -> int:
    """The flags as bits: bit ``n`` set when flag ``n`` is true."""
    mask = 0
    for position, flag in enumerate(flags):
        if flag:
            mask |= 1 << position
    return mask


def _conditions_hold(side: Screened, context: dict[str, tuple[str, ...]]) -> bool:
    return all(
        condition_holds(c, context, variables=side.variables) for c in side.statement.conditions
    )


def _resource_admits(side: Screened, probe: Request) -> bool:
    return resource_covered(side.statement, probe, variables=side.variables)


def _instances(pattern: Glob) -> list[str]:
    """Strings the pattern matches: its wildcards as one letter (readable in a witness),
    as nothing, as a word."""
    out = []
    for fill in ("x", "", "fmlab"):
        text = "".join(
            t[0] if isinstance(t, tuple) else (fill if t == STAR else "x") for t in pattern.tokens
        )
        out.append(text)
    return list(dict.fromkeys(out))


def _filled(text: str, variables: bool) -> Glob:
    """The pattern with every policy variable given :data:`VARIABLE_VALUE`."""
    if not _variable_pattern(text, variables):
        return glob(text)
    found = substitute(text, lambda _key: VARIABLE_VALUE)
    assert found is not None  # every lookup has a value
    return found


def _literal(pattern: Glob) -> str:
    return "".join(t[0] if isinstance(t, tuple) else t for t in pattern.tokens)


def _numbers(text: str) -> list[str]:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return []
    return [text, str(number + 1), str(number - 1)]


def _dates(text: str) -> list[str]:
    try:
        moment = parse_date(text)
    except (ValueError, OverflowError):
        return []
    near = [moment + step for step in (0, 1_000_000, -1_000_000)]
    return [format_date(m) for m in near if _MIN_DATE <= m <= _MAX_DATE]


def _addresses(text: str) -> list[str]:
    try:
        network = parse_network(text)
    except ValueError:
        return []
    out = [str(network.network_address)]
    first, last = int(network.network_address), int(network.broadcast_address)
    top = (1 << network.max_prefixlen) - 1
    kind = type(network.network_address)
    if last < top:
        out.append(str(kind(last + 1)))
    if first > 0:
        out.append(str(kind(first - 1)))
    return out


_FILLERS = {
    OperatorFamily.NUMERIC: ["0"],
    OperatorFamily.DATE: ["2000-01-01T00:00:00Z"],
    OperatorFamily.IP: ["0.0.0.0", "::"],
}


def _values(condition: Condition, variables: bool) -> list[str]:
    """Values near the condition's own: matching ones and just-missing ones."""
    family = condition.operator.family
    base = condition.operator.base
    out: list[str] = []
    for value in condition.values:
        if family is OperatorFamily.NUMERIC:
            out += _numbers(value)
        elif family is OperatorFamily.DATE:
            out += _dates(value)
        elif family is OperatorFamily.IP:
            out += _addresses(value)
        elif family is OperatorFamily.BOOL:
            out += ["true", "false"]
        elif family is OperatorFamily.ARN or (family is OperatorFamily.STRING and "Like" in base):
            out += _instances(_filled(value, variables))
        elif family is OperatorFamily.STRING:
            text = _literal(_filled(value, variables))
            out += [text, text.upper()] if "IgnoreCase" in base else [text]
        elif family is OperatorFamily.BINARY:
            out.append(value)
    return out


def _pools(
    sides: Sequence[Screened],
) -> tuple[dict[str, list[tuple[str, ...] | None]], list[str]]:
    """Candidate values per context key (``None``: the key absent), and the keys in the
    order to fill them: keys that variables read first."""
    families: dict[str, set[OperatorFamily]] = {}
    values: dict[str, list[str]] = {}
    read: set[str] = set()
    for side in sides:
        statement = side.statement
        if side.variables:
            for text in statement.resources or ():
                read |= variable_keys(text)
        for condition in statement.conditions:
            key = condition.key_lower
            families.setdefault(key, set()).add(condition.operator.family)
            values.setdefault(key, []).extend(_values(condition, side.variables))
            if side.variables and condition.operator.family in (
                OperatorFamily.STRING,
                OperatorFamily.ARN,
            ):
                for value in condition.values:
                    read |= variable_keys(value)
    pools: dict[str, list[tuple[str, ...] | None]] = {}
    for key in sorted(set(families) | read):
        found = families.get(key, set())
        chosen = list(values.get(key, []))
        typed = [f for f in found if f in _FILLERS]
        if typed:
            for family in typed:
                chosen += _FILLERS[family]
        else:
            chosen += [VARIABLE_VALUE, "zzfmlab"]
        if key in read:
            chosen.insert(0, VARIABLE_VALUE)
        pools[key] = [(v,) for v in dict.fromkeys(chosen)] + [None]
    order = sorted(pools, key=lambda key: (key not in read, key))
    return pools, order


def _with(
    context: dict[str, tuple[str, ...]], key: str, value: tuple[str, ...] | None
) -> dict[str, tuple[str, ...]]:
    out = {k: v for k, v in context.items() if k != key}
    if value is not None:
        out[key] = value
    return out


def _contexts(
    apply: Sequence[Screened], everyone: Sequence[Screened]
) -> Iterable[dict[str, tuple[str, ...]]]:
    """A context that satisfies ``apply``'s conditions key by key where it can, then
    the same with one key changed at a time."""
    pools, order = _pools(everyone)
    on_key: dict[str, list[tuple[Condition, bool]]] = {}
    for side in apply:
        for condition in side.statement.conditions:
            on_key.setdefault(condition.key_lower, []).append((condition, side.variables))

    def fits(context: dict[str, tuple[str, ...]], key: str) -> bool:
        return all(
            condition_holds(c, context, variables=variables) for c, variables in on_key.get(key, ())
        )

    base: dict[str, tuple[str, ...]] = {}
    for key in order:
        for value in pools[key]:
            trial = _with(base, key, value)
            if fits(trial, key):
                base = trial
                break
    yield base
    produced = 1
    for key in order:
        for value in pools[key]:
            if value == base.get(key):
                continue
            trial = _with(base, key, value)
            if not fits(trial, key):
                continue
            yield trial
            produced += 1
            if produced >= MAX_CONTEXTS:
                return


def _resources(sides: Sequence[Screened], context: dict[str, tuple[str, ...]]) -> list[str]:
    """Resources to try: instances of the statements' patterns in this context, ``"*"``
    and an ARN no pattern is likely to name (all within the engine's resource domain:
    ``"*"`` or an ARN)."""
    out: list[str] = []
    for side in sides:
        for text in side.statement.resources or ():
            pattern = resolve(text, side.variables, context)
            if pattern is not None:
                out += _instances(pattern)
    out += [GENERIC_ARN, STAR]
    chosen = [r for r in dict.fromkeys(out) if r == STAR or r.startswith("arn:")]
    return chosen[:MAX_RESOURCES]
