"""The checks on the example apps: what holds, what breaks, and the messages that show it."""

from __future__ import annotations

import pytest

from fmlab.mvu import HYDRATION_PROPERTY, VIEW_PROPERTY, App, check, load_app
from fmlab.mvu.examples import (
    clock_greeting,
    counter,
    leaky_counter,
    nested_paragraph,
    path,
    table_rows,
    todo,
    unbounded_counter,
)


def test_the_counter_holds_everything_exhaustively() -> None:
    report = check(App.from_module(counter))
    assert report.complete
    assert report.exit_code == 0
    assert [(f.name, f.status.value) for f in report.findings] == [
        ("inv_in_range", "holds"),
        (VIEW_PROPERTY, "holds"),
        (HYDRATION_PROPERTY, "holds"),
    ]
    assert report["inv_in_range"].induction is not None
    assert report["inv_in_range"].induction.proved


def test_a_broken_update_comes_back_as_a_replayed_message_sequence() -> None:
    app = App.from_module(leaky_counter)
    report = check(app, max_states=100)
    finding = report["inv_not_negative"]
    assert finding.status.value == "violated"
    assert finding.messages == (leaky_counter.Decrement(),)
    assert app.run(finding.messages)[-1] == leaky_counter.Model(-1)
    assert report.exit_code == 1


def test_an_unbounded_app_is_unknown_unless_induction_proves_it() -> None:
    report = check(App.from_module(unbounded_counter), max_states=200)
    assert not report.complete
    assert report["inv_not_negative"].status.value == "holds"
    assert "inductive" in report["inv_not_negative"].reason
    assert report[VIEW_PROPERTY].status.value == "unknown"
    assert report.exit_code == 3


def test_without_proofs_a_bounded_search_proves_nothing() -> None:
    report = check(App.from_module(unbounded_counter), max_states=200, prove=False)
    assert report["inv_not_negative"].status.value == "unknown"
    assert "200" in report["inv_not_negative"].reason


def test_a_view_that_reads_the_clock_is_caught_twice() -> None:
    report = check(App.from_module(clock_greeting))
    view = report[VIEW_PROPERTY]
    assert view.status.value == "violated"
    assert view.messages == ()
    assert "'Good morning!' became 'Good afternoon!'" in view.reason
    hydration = report[HYDRATION_PROPERTY]
    assert hydration.status.value == "violated"
    assert "expected text 'Good afternoon!', found text 'Good morning!'" in hydration.reason
    assert report["inv_known_page"].status.value == "holds"


@pytest.mark.parametrize(
    ("module", "expected", "found"),
    [(nested_paragraph, "<div>", "nothing"), (table_rows, "<tr>", "<tbody>")],
)
def test_nesting_the_browser_repairs_breaks_hydration(
    module: object, expected: str, found: str
) -> None:
    report = check(App.from_module(module))  # type: ignore[arg-type]
    finding = report[HYDRATION_PROPERTY]
    assert finding.status.value == "violated"
    assert f"expected {expected}, found {found}" in finding.reason
    assert "repaired the server HTML" in finding.reason
    assert report[VIEW_PROPERTY].status.value == "holds"


def test_the_json_has_the_shape_the_issue_gives() -> None:
    report = check(load_app(path("leaky_counter")), max_states=20)
    data = report.to_json()
    assert data["states"] == 20
    assert {"name", "status", "reason", "messages"} <= set(data["properties"][0])
    assert data["properties"][0]["messages"] == [{"type": "Decrement"}]
    assert {p["status"] for p in data["properties"]} <= {"holds", "violated", "unknown"}


def test_report_lines_fit_the_page() -> None:
    for name in ("todo", "clock_greeting", "table_rows", "unbounded_counter"):
        report = check(load_app(path(name)), max_states=100)
        assert all(len(line) <= 90 for line in repr(report).splitlines()), name


def test_under_miso_rules_the_broken_nesting_goes_unnoticed() -> None:
    from fmlab.mvu import MISO_RULES

    for module in (table_rows, nested_paragraph, clock_greeting):
        report = check(App.from_module(module), hydration_rules=MISO_RULES)
        finding = report[HYDRATION_PROPERTY]
        assert finding.status.value == "holds", module
        assert "(miso rules)" in finding.result.claim


def test_report_lines_fit_the_page_and_say_each_thing_once() -> None:
    bugs = check(App.from_module(clock_greeting))
    todo_report = check(App.from_module(todo), max_states=100)
    for report in (bugs, todo_report):
        assert max(map(len, report.lines())) <= 76
    # The JSON keeps one line per item: the clock question is not folded in two.
    assert "(does it read the clock, the locale or random numbers?)" in (
        bugs[HYDRATION_PROPERTY].reason
    )
    # An unknown invariant's reason carries the induction's answer; no second line.
    unknown = todo_report["inv_ids_are_unique"]
    assert unknown.status.value == "unknown"
    assert "induction: unknown (unsupported)" in unknown.reason
    assert sum("induction" in line for line in unknown.lines()) == 1
