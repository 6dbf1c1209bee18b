"""Label selectors, node selectors, taints and tolerations, with Kubernetes' matching rules.

>>> web = LabelSelector.of({"app": "web"})
>>> web.matches({"app": "web", "tier": "front"}), web.matches({"app": "db"})
(True, False)
>>> LabelSelector().matches({"anything": "x"})   # the empty selector selects everything
True
>>> Requirement("zone", "NotIn", ("a",)).matches({})  # NotIn holds when the label is absent
True
>>> Toleration(key="gpu", operator="Exists").tolerates(Taint("gpu", "yes", "NoSchedule"))
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

Labels = Mapping[str, str]

LABEL_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
NODE_OPERATORS = (*LABEL_OPERATORS, "Gt", "Lt")
TOLERATION_OPERATORS = ("Equal", "Exists", "Gt", "Lt")

# apimachinery's validation: a label value is empty or at most 63 characters, alphanumeric
# at both ends with "-", "_" and "." between; a key is a qualified name, an optional DNS
# subdomain prefix (at most 253) and "/", then a name shaped like a value (1 to 63).
_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE = re.compile(f"({_NAME})?")
_KEY_NAME = re.compile(_NAME)
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
# strconv.ParseInt(s, 10, 64): an optional sign, then decimal digits (leading zeros allowed).
_GO_INT = re.compile(r"[+-]?[0-9]+")
_INT64 = range(-(2**63), 2**63)


def label_value_problem(value: str) -> str | None:
    """Why ``value`` is not a valid label value (apimachinery's wording), or None."""
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not _LABEL_VALUE.fullmatch(value):
        return (
            "a valid label must be an empty string or consist of alphanumeric characters, "
            "'-', '_' or '.', and must start and end with an alphanumeric character"
        )
    return None


def label_key_problem(key: str) -> str | None:
    """Why ``key`` is not a qualified name usable as a label key, or None."""
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS_SUBDOMAIN.fullmatch(prefix)):
        return "prefix part must be a lowercase RFC 1123 subdomain"
    if not name or len(name) > 63 or not _KEY_NAME.fullmatch(name):
        return "name part must consist of alphanumeric characters, '-', '_' or '.'"
    return None


def go_int(text: str) -> int | None:
    """``text`` as ``strconv.ParseInt(text, 10, 64)`` reads it, or None."""
    if not _GO_INT.fullmatch(text):
        return None
    value = int(text)
    return value if value in _INT64 else None


def requirement_problem(key: str, operator: str, values: tuple[str, ...]) -> str | None:
    """What ``labels.NewRequirement`` would reject in a requirement, or None.

    It checks the key, the number of values for the operator, that Gt and Lt have an
    integer, and that every value is a valid label value (which ``-5`` is not).
    """
    problem = label_key_problem(key)
    if problem:
        return f"key: Invalid value: {key!r}: {problem}"
    if operator in ("In", "NotIn") and not values:
        return "values: for 'in', 'notin' operators, values set can't be empty"
    if operator in ("Exists", "DoesNotExist") and values:
        return "values: values set must be empty for exists and does not exist"
    if operator in ("Gt", "Lt"):
        if len(values) != 1:
            return "values: for 'Gt', 'Lt' operators, exactly one value is required"
        if go_int(values[0]) is None:
            return (
                f"values[0]: Invalid value: {values[0][:60]!r}: for 'Gt', 'Lt' operators, "
                "the value must be an integer"
            )
    for index, value in enumerate(values):
        problem = label_value_problem(value)
        if problem:
            return f"values[{index}]: Invalid value: {value[:60]!r}: {problem}"
    return None


@dataclass(frozen=True)
class Requirement:
    """One ``key operator values`` requirement of a label or node selector."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Labels) -> bool:
        present = self.key in labels
        if self.operator == "In":
            return present and labels[self.key] in self.values
        if self.operator == "NotIn":
            return not present or labels[self.key] not in self.values
        if self.operator == "Exists":
            return present
        if self.operator == "DoesNotExist":
            return not present
        # Gt / Lt compare integers as ParseInt reads them; a missing or non-integer label
        # never matches.
        if not present or len(self.values) != 1:
            return False
        actual, bound = go_int(labels[self.key]), go_int(self.values[0])
        if actual is None or bound is None:
            return False
        return actual > bound if self.operator == "Gt" else actual < bound


@dataclass(frozen=True)
class LabelSelector:
    """``matchLabels`` and ``matchExpressions``, all of which must hold."""

    match_labels: tuple[tuple[str, str], ...] = ()
    match_expressions: tuple[Requirement, ...] = ()

    @classmethod
    def of(cls, labels: Mapping[str, str]) -> LabelSelector:
        return cls(tuple(sorted(labels.items())))

    @property
    def empty(self) -> bool:
        return not self.match_labels and not self.match_expressions

    def matches(self, labels: Labels) -> bool:
        for key, value in self.match_labels:
            if labels.get(key) != value:
                return False
        return all(requirement.matches(labels) for requirement in self.match_expressions)


def selector_matches(selector: LabelSelector | None, labels: Labels) -> bool:
    """A missing (nil) selector selects nothing, as ``LabelSelectorAsSelector(nil)`` does."""
    return selector is not None and selector.matches(labels)


@dataclass(frozen=True)
class NodeSelectorTerm:
    """One term of required node affinity: expressions on labels, fields on the name.

    ``problem`` is why kube-scheduler could not parse the term (an invalid label value,
    a Gt with no integer, ...); such a term matches no node, as upstream's lazy node
    selector treats it.
    """

    match_expressions: tuple[Requirement, ...] = ()
    match_fields: tuple[Requirement, ...] = ()
    problem: str = ""

    def matches(self, node_name: str, labels: Labels) -> bool:
        # A term with nothing in it selects no node; neither does one that did not parse.
        if self.problem or (not self.match_expressions and not self.match_fields):
            return False
        if not all(r.matches(labels) for r in self.match_expressions):
            return False
        fields = {"metadata.name": node_name}
        return all(r.matches(fields) for r in self.match_fields)


@dataclass(frozen=True)
class NodeSelector:
    """Required node affinity: the terms are ORed."""

    terms: tuple[NodeSelectorTerm, ...]

    def matches(self, node_name: str, labels: Labels) -> bool:
        return any(term.matches(node_name, labels) for term in self.terms)


TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


@dataclass(frozen=True)
class Taint:
    """A node's taint: TaintToleration keeps off the node a pod that does not tolerate a
    ``NoSchedule`` or ``NoExecute`` taint."""

    key: str
    value: str = ""
    effect: str = "NoSchedule"


@dataclass(frozen=True)
class Toleration:
    """``operator`` is ``Equal`` (the default), ``Exists``, ``Gt`` or ``Lt``; an empty key
    with ``Exists`` tolerates every taint, an empty effect tolerates every effect. ``Gt``
    and ``Lt`` compare the taint's value with the toleration's as integers in canonical
    form (``Gt 750`` tolerates a taint valued 950)."""

    key: str = ""
    operator: str = "Equal"
    value: str = ""
    effect: str = ""

    def tolerates(self, taint: Taint) -> bool:
        return self.check(taint)[0]

    def check(self, taint: Taint) -> tuple[bool, str | None]:
        """Whether this tolerates ``taint``, and the parse error that stopped it, if any."""
        if self.effect and self.effect != taint.effect:
            return False, None
        if self.key and self.key != taint.key:
            return False, None
        if self.operator == "Exists":
            return True, None
        if self.operator in ("Gt", "Lt"):
            return _compare_numbers(self.value, taint.value, self.operator)
        return self.value == taint.value, None


def canonical_int(text: str) -> int | None:
    """``text`` as a decimal integer in canonical form (no sign "+", no leading zero), the
    form upstream's ``IsDecimalInteger`` accepts for taint comparisons; else None."""
    digits = text[1:] if text.startswith("-") else text
    if not digits.isascii() or not digits.isdigit() or (digits[0] == "0" and text != "0"):
        return None
    value = int(text)
    return value if value in _INT64 else None


_NOT_CANONICAL = "must be a valid decimal integer in canonical form"


def _compare_numbers(bound: str, actual: str, operator: str) -> tuple[bool, str | None]:
    limit = canonical_int(bound)
    if limit is None:
        return False, f"failed to parse toleration value {bound[:60]!r} as int64: {_NOT_CANONICAL}"
    value = canonical_int(actual)
    if value is None:
        shown = f'"{actual[:60]}"'
        return False, f"failed to parse taint value {shown} as int64: {_NOT_CANONICAL}"
    return (value < limit if operator == "Lt" else value > limit), None


def tolerated(tolerations: tuple[Toleration, ...], taint: Taint) -> bool:
    return any(t.tolerates(taint) for t in tolerations)


def toleration_verdict(
    tolerations: tuple[Toleration, ...], taint: Taint
) -> tuple[bool, str | None]:
    """Whether some toleration tolerates ``taint``; if none does, the first parse error met."""
    problem = None
    for toleration in tolerations:
        ok, error = toleration.check(taint)
        if ok:
            return True, None
        problem = problem or error
    return False, problem


@dataclass(frozen=True)
class Namespaces:
    """Which namespaces a pod affinity term looks at: a fixed set, or all of them."""

    names: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False

    def contains(self, namespace: str) -> bool:
        return self.everything or namespace in self.names
