"""Liveness: does ``P`` lead to ``Q`` on every fair behaviour?

Behaviours are the infinite paths of the state graph; a state without successors stays
where it is forever (it stutters). ``P ~> Q`` fails exactly when some reachable state
satisfies ``P and not Q`` and from there a fair behaviour avoids ``Q`` forever. In a
finite graph such a behaviour ends in a strongly connected component (SCC) of
``not Q`` states that it traverses forever, so the search is:

1. take the states reachable from a ``P and not Q`` state through ``not Q`` states;
2. split them into SCCs (Tarjan's algorithm, iterative);
3. keep an SCC that has a cycle (or a state without successors) and is fair:
   * weak fairness of an action ``a``: ``a`` is taken inside the SCC, or the SCC has a
     state where ``a`` is disabled (otherwise ``a`` stays enabled and is never taken);
   * strong fairness of ``a``: ``a`` is taken inside the SCC, or ``a`` is enabled at no
     state of it. When this fails, the states enabling ``a`` cannot be visited
     infinitely often: remove them and look at the SCCs of what is left (the classic
     refinement of Emerson and Lei), repeating until a fair SCC or nothing remains;
4. build a lasso: a shortest path to a ``P and not Q`` state, a path inside the ``not
   Q`` region to the SCC, and a cycle through the SCC that takes or sees disabled every
   fair action the fairness conditions need.

Fairness is per label: a name without ``(`` makes every label with that action name
fair on its own (``StopContainer(c1)`` and ``StopContainer(c2)`` separately, as
per-process fairness does); a name with ``(`` names one exact label.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fmlab.mc._model import LeadsTo, action_name, label_text
from fmlab.mc._search import Exploration


@dataclass(frozen=True)
class Lasso:
    """State numbers: ``prefix`` from an initial state to the ``P`` state (``prefix[focus]``)
    and on to the cycle's entry; ``cycle`` returns to ``prefix[-1]`` (empty: stutter)."""

    prefix: tuple[int, ...]
    prefix_labels: tuple[int, ...]
    cycle: tuple[int, ...]
    cycle_labels: tuple[int, ...]
    focus: int


def fair_label_ids(
    labels: Sequence[object], weak: Iterable[str], strong: Iterable[str]
) -> tuple[frozenset[int], frozenset[int]]:
    """The label numbers that are weakly and strongly fair."""

    def matches(names: set[str], label: object) -> bool:
        return label_text(label) in names or action_name(label) in names

    weak_names, strong_names = set(weak), set(strong)
    weak_ids = frozenset(i for i, label in enumerate(labels) if matches(weak_names, label))
    strong_ids = frozenset(i for i, label in enumerate(labels) if matches(strong_names, label))
    return weak_ids, strong_ids


class _Graph:
    """The expanded part of an exploration, as adjacency over state numbers."""

    def __init__(self, found: Exploration) -> None:
        assert found.offsets is not None
        assert found.targets is not None
        assert found.edge_labels is not None
        self.found = found
        self.size = found.expanded
        self.offsets = found.offsets
        self.targets = found.targets
        self.labels = found.edge_labels

    def edges(self, node: int) -> Iterable[tuple[int, int]]:
        """``(target, label number)`` pairs of an expanded node."""
        start, end = self.offsets[node], self.offsets[node + 1]
        return zip(self.targets[start:end], self.labels[start:end], strict=True)

    def is_deadlock(self, node: int) -> bool:
        return self.offsets[node] == self.offsets[node + 1]


def find_unfair_avoidance(
    found: Exploration,
    prop: LeadsTo,
    weak: Iterable[str],
    strong: Iterable[str],
) -> Lasso | None:
    """A lasso on which ``prop.p`` holds once and ``prop.q`` never after, fairly; or None.

    Only expanded states are used, so a lasso found in a bounded search is real; finding
    none in a bounded search proves nothing (the caller answers unknown).
    """
    graph = _Graph(found)
    states = found.states
    not_q = [not prop.q(states[n]) for n in range(graph.size)]
    starts = [n for n in range(graph.size) if not_q[n] and prop.p(states[n])]
    if not starts:
        return None
    region = _reach_within(graph, starts, not_q)
    weak_ids, strong_ids = fair_label_ids(found.labels, weak, strong)
    fair = weak_ids | strong_ids
    enabled = {n: frozenset(lab for _, lab in graph.edges(n) if lab in fair) for n in region}
    component = _fair_component(graph, region, enabled, weak_ids, strong_ids)
    if component is None:
        return None
    return _lasso(graph, starts, not_q, component, enabled, weak_ids, strong_ids)


def _reach_within(graph: _Graph, starts: Sequence[int], allowed: Sequence[bool]) -> set[int]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        for target, _ in graph.edges(node):
            if target < graph.size and allowed[target] and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _components(graph: _Graph, nodes: set[int]) -> list[list[int]]:
    """Tarjan's SCCs of the subgraph induced by ``nodes`` (iterative, no recursion limit)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    result: list[list[int]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(list(graph.edges(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for target, _ in successors:
                if target not in nodes:
                    continue
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(list(graph.edges(target)))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                caller = work[-1][0]
                low[caller] = min(low[caller], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                result.append(members)
    return result


def _has_cycle(graph: _Graph, members: list[int], inside: set[int]) -> bool:
    if len(members) > 1:
        return True
    node = members[0]
    return graph.is_deadlock(node) or any(target == node for target, _ in graph.edges(node))


def _fair_component(
    graph: _Graph,
    region: set[int],
    enabled: dict[int, frozenset[int]],
    weak_ids: frozenset[int],
    strong_ids: frozenset[int],
) -> set[int] | None:
    pending = [region]
    while pending:
        nodes = pending.pop()
        for members in _components(graph, nodes):
            inside = set(members)
            if not _has_cycle(graph, members, inside):
                continue
            taken = {
                label for node in members for target, label in graph.edges(node) if target in inside
            }
            everywhere = frozenset.intersection(*(enabled[n] for n in members))
            somewhere = frozenset().union(*(enabled[n] for n in members))
            if any(label not in taken for label in everywhere & weak_ids):
                continue  # a weakly fair action stays enabled and is never taken
            starved = {label for label in somewhere & strong_ids if label not in taken}
            if starved:
                rest = {n for n in inside if not (enabled[n] & starved)}
                if rest:
                    pending.append(rest)
                continue
            return inside
    return None


def _path_within(
    graph: _Graph, sources: Iterable[int], goal: set[int], allowed: set[int]
) -> tuple[list[int], list[int]]:
    """A shortest path (nodes, labels) from some source to some goal node, inside ``allowed``."""
    parents: dict[int, tuple[int, int] | None] = {}
    queue: deque[int] = deque()
    for source in sources:
        if source not in parents:
            parents[source] = None
            queue.append(source)
    while queue:
        node = queue.popleft()
        if node in goal:
            nodes, labels = [node], []
            while (link := parents[nodes[-1]]) is not None:
                nodes.append(link[0])
                labels.append(link[1])
            return nodes[::-1], labels[::-1]
        for target, label in graph.edges(node):
            if target in allowed and target not in parents:
                parents[target] = (node, label)
                queue.append(target)
    raise AssertionError("no path inside the region: the SCC search and paths disagree")


def _lasso(
    graph: _Graph,
    starts: list[int],
    not_q: list[bool],
    component: set[int],
    enabled: dict[int, frozenset[int]],
    weak_ids: frozenset[int],
    strong_ids: frozenset[int],
) -> Lasso:
    found = graph.found
    region = {n for n in range(graph.size) if not_q[n]}
    # From the P-state nearest to the SCC (breadth-first from all of them at once).
    middle, middle_labels = _path_within(graph, sorted(starts), component, region)
    p_state = middle[0]
    head_nodes: list[int] = []
    head_labels: list[int] = []
    node = p_state
    while node >= 0:
        head_nodes.append(node)
        head_labels.append(found.action[node])
        node = found.parent[node]
    head_nodes.reverse()
    head_labels.reverse()
    prefix = head_nodes + middle[1:]
    prefix_labels = head_labels[1:] + middle_labels
    entry = prefix[-1]
    focus = len(head_nodes) - 1
    if graph.is_deadlock(entry) and len(component) == 1:
        return Lasso(tuple(prefix), tuple(prefix_labels), (), (), focus)
    cycle, cycle_labels = _fair_cycle(graph, entry, component, enabled, weak_ids, strong_ids)
    return Lasso(tuple(prefix), tuple(prefix_labels), tuple(cycle), tuple(cycle_labels), focus)


def _fair_cycle(
    graph: _Graph,
    entry: int,
    component: set[int],
    enabled: dict[int, frozenset[int]],
    weak_ids: frozenset[int],
    strong_ids: frozenset[int],
) -> tuple[list[int], list[int]]:
    """A cycle from ``entry`` back to it inside ``component`` that satisfies the fairness:
    it takes one edge of every fair label taken in the component and enabled in it, and
    visits a state disabling each weakly fair label it does not take."""
    fair = weak_ids | strong_ids
    edges_by_label: dict[int, tuple[int, int]] = {}
    for node in sorted(component):
        for target, label in graph.edges(node):
            if target in component and label in fair:
                edges_by_label.setdefault(label, (node, target))
    somewhere = frozenset().union(*(enabled[n] for n in component))
    # Each waypoint is a node to reach, then optionally an edge (label, target) to take.
    waypoints: list[tuple[int, tuple[int, int] | None]] = []
    for fair_label in sorted(somewhere):
        if fair_label in edges_by_label:
            source, target = edges_by_label[fair_label]
            waypoints.append((source, (fair_label, target)))
        else:
            # Only a weakly fair label can be enabled somewhere and never taken here.
            disabled = min(n for n in component if fair_label not in enabled[n])
            waypoints.append((disabled, None))
    nodes: list[int] = []
    labels: list[int] = []
    here = entry
    for node, edge in waypoints:
        path, path_labels = _path_within(graph, [here], {node}, component)
        nodes += path[1:]
        labels += path_labels
        here = node
        if edge is not None:
            nodes.append(edge[1])
            labels.append(edge[0])
            here = edge[1]
    if here == entry and nodes:
        return nodes, labels
    # Close the cycle: leave ``here`` by one step, then the shortest way back to entry.
    for target, label in graph.edges(here):
        if target in component:
            back, back_labels = _path_within(graph, [target], {entry}, component)
            return nodes + back, [*labels, label, *back_labels]
    raise AssertionError("an SCC with a cycle has an edge inside it from every node")
