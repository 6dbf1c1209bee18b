"""One differential run: generate scenarios by seed, decide each with fmlab and the peer,
and sort every disagreement into the class that explains it (see ``classify``)."""

from __future__ import annotations

import collections
import itertools
from dataclasses import dataclass, field
from typing import Any

from tests.iam.peer import Peer
from tests.iam.peer.classify import PEER_WRONG, Cause, Document, fmlab_evaluation, key
from tests.iam.peer.generate import scenario

UNCLASSIFIED = "unclassified"


@dataclass
class Report:
    scenarios: int = 0
    agreements: int = 0
    by_class: collections.Counter[str] = field(default_factory=collections.Counter)
    unclassified: list[tuple[int, str, str]] = field(default_factory=list)
    """(seed, fmlab's decision, the peer's) for each disagreement no class explains."""
    examples: dict[str, int] = field(default_factory=dict)
    """One seed per class, to reproduce it."""
    peer_errors: list[tuple[int, str]] = field(default_factory=list)
    fmlab_decisions: collections.Counter[str] = field(default_factory=collections.Counter)

    @property
    def disagreements(self) -> int:
        return self.scenarios - self.agreements

    def to_json(self) -> dict[str, Any]:
        return {
            "scenarios": self.scenarios,
            "agreements": self.agreements,
            "disagreements": self.disagreements,
            "by_class": dict(self.by_class.most_common()),
            "examples": self.examples,
            "unclassified": self.unclassified,
            "peer_errors": self.peer_errors,
            "fmlab_decisions": dict(self.fmlab_decisions),
        }


def _explains(
    cause_set: tuple[Cause, ...],
    original: Document,
    rewritten: Document,
    fmlab: str,
    peer: str,
    peer_after: str,
) -> bool:
    after = fmlab_evaluation(rewritten).decision.value
    if all(c.peer_side for c in cause_set):
        return after == fmlab and peer_after == fmlab
    return after == peer


def run(seeds: range, peer: Peer | None = None) -> Report:
    peer = peer if peer is not None else Peer()
    documents = [scenario(seed) for seed in seeds]
    report = Report(scenarios=len(documents))
    evaluations = [fmlab_evaluation(d) for d in documents]
    answers = list(peer.decide(documents))
    disagreeing = []
    for document, evaluation, answer in zip(documents, evaluations, answers, strict=True):
        ours = evaluation.decision.value
        report.fmlab_decisions[ours] += 1
        if answer.startswith("error"):
            report.peer_errors.append((document["seed"], answer))
        elif answer == ours:
            report.agreements += 1
        else:
            disagreeing.append((document, evaluation, answer))
    # Every single cause, then every pair of peer-side causes, in one peer batch.
    candidates = [(c,) for c in PEER_WRONG] + [
        pair for pair in itertools.combinations(PEER_WRONG, 2) if all(c.peer_side for c in pair)
    ]
    jobs: list[tuple[int, tuple[Cause, ...], Document]] = []
    for number, (document, _evaluation, _answer) in enumerate(disagreeing):
        for cause_set in candidates:
            rewritten = document
            for cause in cause_set:
                rewritten = cause.rewrite(rewritten)
            if all(key(c.rewrite(document)) != key(document) for c in cause_set):
                jobs.append((number, cause_set, rewritten))
    after = list(peer.decide([rewritten for _n, _c, rewritten in jobs]))
    explained: dict[int, str] = {}
    # An undocumented case behind a peer mistake: the rewrite keeps fmlab's decision, and
    # the peer, rewritten, gives the answer fmlab names as the other reading.
    undocumented_behind: dict[int, str] = {}
    for (number, cause_set, rewritten), peer_after in zip(jobs, after, strict=True):
        if number in explained:
            continue
        document, evaluation, answer = disagreeing[number]
        if _explains(cause_set, document, rewritten, evaluation.decision.value, answer, peer_after):
            explained[number] = "peer-wrong: " + " + ".join(c.name for c in cause_set)
        elif number not in undocumented_behind and all(c.peer_side for c in cause_set):
            again = fmlab_evaluation(rewritten)
            others = [w.case.value for w in again.warnings if w.other == peer_after]
            if again.decision is evaluation.decision and others:
                names = " + ".join(c.name for c in cause_set)
                undocumented_behind[number] = f"undocumented: {others[0]} + peer-wrong: {names}"
    for number, (document, evaluation, answer) in enumerate(disagreeing):
        name = explained.get(number)
        if name is None:
            others = [w.case.value for w in evaluation.warnings if w.other == answer]
            name = f"undocumented: {others[0]}" if others else undocumented_behind.get(number)
        if name is None:
            name = UNCLASSIFIED
        report.by_class[name] += 1
        report.examples.setdefault(name, document["seed"])
        if name == UNCLASSIFIED:
            report.unclassified.append((document["seed"], evaluation.decision.value, answer))
    return report
