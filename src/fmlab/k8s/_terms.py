"""Pod affinity terms resolved against namespaces, ready to match pods quickly.

A term's namespaces are its ``namespaces`` list plus the namespaces its
``namespaceSelector`` selects; with neither, the namespace of the pod that owns the term.
An empty ``namespaceSelector`` (``{}``) selects every namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fmlab.k8s._model import Pod, PodAffinityTerm
from fmlab.k8s._selectors import LabelSelector, Namespaces, selector_matches


@dataclass(frozen=True)
class ResolvedTerm:
    """A pod affinity term with its namespaces worked out (see the module's docstring)."""

    selector: LabelSelector | None
    namespaces: Namespaces
    topology_key: str

    def matches(self, pod: Pod) -> bool:
        return self.namespaces.contains(pod.namespace) and selector_matches(
            self.selector, pod.labels
        )


def resolve_term(
    owner: Pod,
    term: PodAffinityTerm,
    namespace_names: Callable[[], Iterable[str]],
    namespace_labels: Callable[[str], dict[str, str]],
) -> ResolvedTerm:
    names = set(term.namespaces)
    everything = False
    selector = term.namespace_selector
    if selector is not None:
        if selector.empty:
            everything = True
        else:
            names.update(n for n in namespace_names() if selector.matches(namespace_labels(n)))
    elif not names:
        names.add(owner.namespace)
    return ResolvedTerm(
        term.label_selector, Namespaces(frozenset(names), everything), term.topology_key
    )


def matches_all(terms: tuple[ResolvedTerm, ...], pod: Pod) -> bool:
    return all(term.matches(pod) for term in terms)
