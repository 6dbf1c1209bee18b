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

from collections.abc import Mapping
from dataclasses import dataclass, field

Labels = Mapping[str, str]

LABEL_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
NODE_OPERATORS = (*LABEL_OPERATORS, "Gt", "Lt")


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
        # Gt / Lt compare integers; a missing or non-integer label never matches.
        if not present:
            return False
        try:
            actual, bound = int(labels[self.key]), int(self.values[0])
        except (ValueError, IndexError):
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
    """One term of required node affinity: expressions on labels, fields on the name."""

    match_expressions: tuple[Requirement, ...] = ()
    match_fields: tuple[Requirement, ...] = ()

    def matches(self, node_name: str, labels: Labels) -> bool:
        # A term with nothing in it selects no node.
        if not self.match_expressions and not self.match_fields:
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
    key: str
    value: str = ""
    effect: str = "NoSchedule"


@dataclass(frozen=True)
class Toleration:
    """``operator`` is ``Equal`` (the default) or ``Exists``; an empty key with
    ``Exists`` tolerates every taint, an empty effect tolerates every effect."""

    key: str = ""
    operator: str = "Equal"
    value: str = ""
    effect: str = ""

    def tolerates(self, taint: Taint) -> bool:
        if self.effect and self.effect != taint.effect:
            return False
        if self.key and self.key != taint.key:
            return False
        if self.operator == "Exists":
            return True
        return self.value == taint.value


def tolerated(tolerations: tuple[Toleration, ...], taint: Taint) -> bool:
    return any(t.tolerates(taint) for t in tolerations)


@dataclass(frozen=True)
class Namespaces:
    """Which namespaces a pod affinity term looks at: a fixed set, or all of them."""

    names: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False

    def contains(self, namespace: str) -> bool:
        return self.everything or namespace in self.names
