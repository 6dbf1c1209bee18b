"""Explanations fit the page: no line the chapter prints for people is over 76 characters."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.core.result import Refuted
from fmlab.k8s._exact import plan_exact
from fmlab.k8s._exercises import check_eviction, check_greedy_gap
from fmlab.k8s._preemption import explain_victim_selection, preempt
from fmlab.k8s._report import filter_pod
from fmlab.k8s._text import LINE_WIDTH, fold
from fmlab.k8s._walkthrough import walk_through

from .strategies import Scenario, scenarios

NOW = 1_000_000.0


def _too_wide(text: str, width: int = LINE_WIDTH) -> list[str]:
    return [line for line in text.splitlines() if len(line) > width]


def test_the_page_width_is_the_site_output_box_less_one() -> None:
    # The site's output boxes hold 77 characters at 1280 px (measured for fmlab.mvu).
    assert LINE_WIDTH == 76


def test_fold_breaks_at_spaces_and_keeps_each_line_indent() -> None:
    text = "  " + " ".join(["word"] * 30) + "\nshort\n"
    folded = fold(text, 30).splitlines()
    assert not _too_wide("\n".join(folded), 30)
    assert folded[0].startswith("  word")
    assert all(line.startswith("    word") for line in folded[1:-1])
    assert folded[-1] == "short"
    assert " ".join(" ".join(folded).split()) == " ".join(text.split())  # nothing lost


def test_fold_cuts_a_word_longer_than_the_line_and_keeps_blank_lines() -> None:
    key = "payments-production-eu-west-1/" + "x" * 80
    folded = fold(f"victims: {key}\n\nend", 40)
    assert not _too_wide(folded, 40)
    assert "".join(folded.split()) == "".join(f"victims: {key}end".split())
    assert "\n\n" in folded


def test_fold_of_a_deep_indent_still_fits() -> None:
    assert not _too_wide(fold(" " * 60 + "a b c d e f g h i j k l m n o p", 20), 20)


def _explanations(scenario: Scenario, budget_ms: int) -> list[str]:
    """Everything the package prints for people about one situation."""
    cluster = scenario.cluster()
    pending = scenario.pending
    shown: list[str] = []
    result = preempt(cluster, pending, offset=0, now=NOW)
    shown.append(result.explain())
    shown.append(filter_pod(cluster, pending).table())
    for name in cluster.nodes:
        selection = explain_victim_selection(cluster, pending, name, NOW)
        shown.append(selection.explain())
        shown.extend(step.describe() for step in selection.steps)
    shown.extend(stage.text() for stage in walk_through(cluster, pending, offset=0, now=NOW).stages)
    plan = plan_exact(cluster, pending, now=NOW, timeout_ms=budget_ms)
    shown.extend([plan.explain(), repr(plan), plan.result.explain()])
    node_name = plan.result.nominated_node or next(iter(cluster.nodes))
    keys = [v.key for v in result.victims] or ["nobody"]
    for answer in (
        check_eviction(cluster, pending, node_name, keys, now=NOW, timeout_ms=budget_ms),
        check_greedy_gap(cluster, pending, now=NOW, timeout_ms=budget_ms),
    ):
        shown.append(answer.explain(width=LINE_WIDTH))
        if isinstance(answer, Refuted):
            shown.append(str(answer.witness))
    return shown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(real_names=True), st.sampled_from([0, 20_000]))
def test_no_explanation_line_is_wider_than_the_page(scenario: Scenario, budget_ms: int) -> None:
    for text in _explanations(scenario, budget_ms):
        assert not _too_wide(text), text


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(real_names=True))
def test_machine_readable_forms_stay_unwrapped(scenario: Scenario) -> None:
    cluster = scenario.cluster()
    result = preempt(cluster, scenario.pending, offset=0, now=NOW)
    assert "\n" not in result.reason
    assert json.loads(json.dumps(result.to_json()))["reason"] == result.reason
    report = filter_pod(cluster, scenario.pending)
    assert "\n" not in report.summary
    assert report.to_json()["summary"] == report.summary
    plan = plan_exact(cluster, scenario.pending, now=NOW, timeout_ms=0)
    assert "\n" not in json.dumps(plan.to_json())
    # What is folded for the page is the same words as the one-line message.
    assert " ".join(result.reason.split()) in " ".join(result.explain().split())
