"""Concrete evaluation of Condition elements against a request context.

The rules, as the IAM User Guide documents them:

* several values for one key: OR; for a negated operator (``StringNotEquals``...): AND,
  i.e. the request value must match none of them;
* a missing key makes a positive operator false and a negated one true, except that
  ``...IfExists`` makes any operator true and ``Null`` tests presence itself;
* ``ForAllValues``: every request value must satisfy the operator; true when the key is
  missing or empty. ``ForAnyValue``: some request value must; false when missing, also
  with ``IfExists`` (a case the documentation leaves open; see ``fmlab.iam._readings``).

>>> from fmlab.iam._model import Condition
>>> from fmlab.iam._operators import parse_operator
>>> deny_outside = Condition(parse_operator("StringNotEquals"), "aws:RequestedRegion",
...                          ("eu-west-1", "eu-central-1"), "/c")
>>> condition_holds(deny_outside, {"aws:requestedregion": ("eu-west-1",)}, variables=False)
False
>>> condition_holds(deny_outside, {"aws:requestedregion": ("us-east-1",)}, variables=False)
True
>>> condition_holds(deny_outside, {}, variables=False)  # missing key, negated operator
True
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from fmlab.iam._model import Condition, Operator, OperatorFamily, SetQualifier
from fmlab.iam._operators import (
    comparison,
    parse_address,
    parse_bool,
    parse_date,
    parse_network,
    parse_number,
)
from fmlab.iam._patterns import arn_glob_matches, ascii_lower, glob_matches, resolve
from fmlab.iam._readings import FMLAB, Readings

Context = Mapping[str, tuple[str, ...]]


def _compare(kind: str, left: Fraction | int, right: Fraction | int) -> bool:
    # ``left`` is the request value, ``right`` the policy value.
    if kind in ("Equals", "NotEquals"):
        return left == right
    if kind == "LessThan":
        return left < right
    if kind == "LessThanEquals":
        return left <= right
    if kind == "GreaterThan":
        return left > right
    return left >= right


def value_matches(
    operator: Operator, policy_value: str, request_value: str, context: Context, variables: bool
) -> bool:
    """Does one request value match one policy value under the operator's positive form?

    (For ``StringNotEquals`` this answers "are they equal"; negation happens in
    :func:`condition_holds`, where several values combine.)
    """
    family = operator.family
    base = operator.base
    if family is OperatorFamily.STRING:
        pattern = resolve(policy_value, variables, context)
        if pattern is None:
            return False
        if "Like" in base:
            return glob_matches(pattern, request_value)
        literal = "".join(t[0] if isinstance(t, tuple) else t for t in pattern.tokens)
        if "IgnoreCase" in base:
            return ascii_lower(literal) == ascii_lower(request_value)
        return literal == request_value
    if family is OperatorFamily.ARN:
        pattern = resolve(policy_value, variables, context)
        return pattern is not None and arn_glob_matches(pattern, request_value)
    if family is OperatorFamily.NUMERIC:
        try:
            number = parse_number(request_value)
        except ValueError:
            return False
        return _compare(comparison(base), number, parse_number(policy_value))
    if family is OperatorFamily.DATE:
        try:
            moment = parse_date(request_value)
        except (ValueError, OverflowError):
            return False
        return _compare(comparison(base), moment, parse_date(policy_value))
    if family is OperatorFamily.BOOL:
        return ascii_lower(request_value) == ("true" if parse_bool(policy_value) else "false")
    if family is OperatorFamily.BINARY:
        return request_value == policy_value
    if family is OperatorFamily.IP:
        address = parse_address(request_value)
        return address is not None and address in parse_network(policy_value)
    raise AssertionError(f"no value comparison for {family}")


def condition_holds(
    condition: Condition, context: Context, *, variables: bool, readings: Readings = FMLAB
) -> bool:
    """Whether one condition (one operator, one key, its values) holds in ``context``."""
    operator = condition.operator
    values = context.get(condition.key_lower)
    absent = not values
    if operator.family is OperatorFamily.NULL:
        return any(parse_bool(v) == absent for v in condition.values)

    def satisfied(request_value: str) -> bool:
        # One request value against all policy values: OR, or for negated operators
        # "matches none of them" (the documented AND of the negations).
        hit = any(
            value_matches(operator, v, request_value, context, variables) for v in condition.values
        )
        return not hit if operator.negated else hit

    if operator.qualifier is SetQualifier.FOR_ALL_VALUES:
        return absent or all(satisfied(v) for v in values or ())
    if operator.qualifier is SetQualifier.FOR_ANY_VALUE:
        if absent:
            # ForAnyValue is false on a missing key; with IfExists too, in fmlab's reading
            # of a case the documentation leaves open (see fmlab.iam._readings).
            return operator.if_exists and readings.any_value_if_exists_true
        return any(satisfied(v) for v in values or ())
    if absent:
        return operator.if_exists or operator.negated
    assert values is not None
    if operator.negated:
        return all(satisfied(v) for v in values)
    return any(satisfied(v) for v in values)
