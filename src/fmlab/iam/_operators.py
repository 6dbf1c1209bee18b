"""Condition operators: names, families, and the typed values both evaluators compare.

One table decides what ``ForAllValues:StringNotLikeIfExists`` means, and one parser per
family reads values, so the concrete and the symbolic engine cannot drift apart on what
a number, a date or a CIDR block is.

>>> op = parse_operator("ForAnyValue:StringNotLikeIfExists")
>>> op.base, op.family.value, op.negated, op.if_exists, op.qualifier.value
('StringNotLike', 'string', True, True, 'ForAnyValue')
>>> parse_operator("Null").family.value
'null'
>>> parse_date("2026-01-01T00:00:00Z") == parse_date("1767225600")
True
>>> parse_number("1.50")
Fraction(3, 2)
"""

from __future__ import annotations

import functools
import ipaddress
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from fmlab.iam._model import Operator, OperatorFamily, SetQualifier

# base name -> (family, negated)
_BASES: dict[str, tuple[OperatorFamily, bool]] = {
    "StringEquals": (OperatorFamily.STRING, False),
    "StringNotEquals": (OperatorFamily.STRING, True),
    "StringEqualsIgnoreCase": (OperatorFamily.STRING, False),
    "StringNotEqualsIgnoreCase": (OperatorFamily.STRING, True),
    "StringLike": (OperatorFamily.STRING, False),
    "StringNotLike": (OperatorFamily.STRING, True),
    "NumericEquals": (OperatorFamily.NUMERIC, False),
    "NumericNotEquals": (OperatorFamily.NUMERIC, True),
    "NumericLessThan": (OperatorFamily.NUMERIC, False),
    "NumericLessThanEquals": (OperatorFamily.NUMERIC, False),
    "NumericGreaterThan": (OperatorFamily.NUMERIC, False),
    "NumericGreaterThanEquals": (OperatorFamily.NUMERIC, False),
    "DateEquals": (OperatorFamily.DATE, False),
    "DateNotEquals": (OperatorFamily.DATE, True),
    "DateLessThan": (OperatorFamily.DATE, False),
    "DateLessThanEquals": (OperatorFamily.DATE, False),
    "DateGreaterThan": (OperatorFamily.DATE, False),
    "DateGreaterThanEquals": (OperatorFamily.DATE, False),
    "Bool": (OperatorFamily.BOOL, False),
    "BinaryEquals": (OperatorFamily.BINARY, False),
    "IpAddress": (OperatorFamily.IP, False),
    "NotIpAddress": (OperatorFamily.IP, True),
    "ArnEquals": (OperatorFamily.ARN, False),
    "ArnLike": (OperatorFamily.ARN, False),
    "ArnNotEquals": (OperatorFamily.ARN, True),
    "ArnNotLike": (OperatorFamily.ARN, True),
    "Null": (OperatorFamily.NULL, False),
}

# Longest suffix first: "NumericLessThanEquals" also ends with "Equals", and reading it
# as an equality test was a real bug (aws:MultiFactorAuthAge 120 failed "<= 3600").
COMPARISONS = (
    "LessThanEquals",
    "GreaterThanEquals",
    "NotEquals",
    "LessThan",
    "GreaterThan",
    "Equals",
)


@functools.lru_cache(maxsize=4096)
def parse_operator(text: str) -> Operator:
    """Parse an operator name; raise ``ValueError`` with a reason when it is not one."""
    rest = text
    qualifier: SetQualifier | None = None
    for candidate in SetQualifier:
        prefix = candidate.value + ":"
        if rest.startswith(prefix):
            qualifier = candidate
            rest = rest[len(prefix) :]
            break
    if_exists = rest.endswith("IfExists") and rest != "IfExists"
    base = rest[: -len("IfExists")] if if_exists else rest
    if base not in _BASES:
        near = [name for name in _BASES if name.lower() == base.lower()]
        hint = f' (did you mean "{near[0]}"?)' if near else ""
        raise ValueError(f'unknown condition operator "{text}"{hint}')
    family, negated = _BASES[base]
    if family is OperatorFamily.NULL and (if_exists or qualifier is not None):
        raise ValueError(f'"{text}": Null takes neither IfExists nor a set qualifier')
    return Operator(text, base, family, negated, if_exists, qualifier)


def comparison(base: str) -> str:
    """The comparison a Numeric/Date operator makes: ``"LessThanEquals"`` and so on."""
    for suffix in COMPARISONS:
        if base.endswith(suffix):
            return suffix
    raise ValueError(base)


_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def parse_number(text: str) -> Fraction:
    """A Numeric* value: an integer or a plain decimal, read exactly."""
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f'expected a number, got "{text}"')
    try:
        return Fraction(Decimal(text))
    except (InvalidOperation, ValueError):
        raise ValueError(f'expected a number, got "{text}"') from None


_EPOCH = re.compile(r"-?[0-9]{1,12}")
_MICROS = 1_000_000


def parse_date(text: str) -> int:
    """A Date* value as microseconds since the epoch (UTC): ISO 8601 or epoch seconds."""
    if _EPOCH.fullmatch(text):
        return int(text) * _MICROS
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f'expected an ISO 8601 date or epoch seconds, got "{text}"') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * _MICROS + delta.microseconds


def format_date(micros: int) -> str:
    """The ISO 8601 text of a moment, as a witness shows it."""
    from datetime import timedelta

    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
    return moment.isoformat().replace("+00:00", "Z")


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise ValueError(f'expected "true" or "false", got "{text}"')
    return lowered == "true"


Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_network(text: str) -> Network:
    """An IpAddress value: a CIDR block; a bare address means the single address."""
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValueError(f'expected an IP address or CIDR block, got "{text}"') from None


def parse_address(text: str) -> Address | None:
    """A request's address, or ``None`` when the text is not one."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def check_value(operator: Operator, text: str) -> None:
    """Raise ``ValueError`` when ``text`` cannot be a value of ``operator`` in a policy."""
    family = operator.family
    if family is OperatorFamily.NUMERIC:
        parse_number(text)
    elif family is OperatorFamily.DATE:
        if not date_in_range(text):
            raise ValueError(f'expected an ISO 8601 date or epoch seconds, got "{text}"')
    elif family in (OperatorFamily.BOOL, OperatorFamily.NULL):
        parse_bool(text)
    elif family is OperatorFamily.IP:
        parse_network(text)


def date_in_range(text: str) -> bool:
    try:
        parse_date(text)
    except (ValueError, OverflowError):
        return False
    return True
