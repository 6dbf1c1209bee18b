"""Pictures: the state graph with a counterexample highlighted, a trace with its violating
state marked, a lasso's back edge, and the step-through page that needs no kernel."""

from __future__ import annotations

import re

import pytest

from fmlab.mc import Model, check, check_leads_to, explore, step_through
from fmlab.viz import to_svg
from tests.mc.conftest import classic


def test_state_graph_highlights_the_counterexample() -> None:
    model = classic("mutex_naive")
    trace = check(model)["inv_mutual_exclusion"].trace
    assert trace is not None
    drawing = explore(model).draw(highlight=trace)
    source = drawing.source
    assert source.count("penwidth=3") >= len(trace) + 1  # 4 thick edges and the red node
    assert "#FFCCCC" in source  # the violating state's fill
    assert "<svg" in to_svg(drawing)


def test_large_spaces_are_refused() -> None:
    model = Model(lambda: [0], lambda s: [("inc", (s + 1) % 500)])
    with pytest.raises(ValueError, match="too many to draw"):
        explore(model).draw()


def test_trace_marks_the_violation() -> None:
    trace = check(classic("lost_update"))["inv_no_lost_update"].trace
    assert trace is not None
    source = trace.draw().source
    assert "State 4: violation" in source
    assert source.count("->") == 4


def test_lasso_draws_a_back_edge() -> None:
    model = classic("busy_loop")
    (prop,) = model.liveness.values()
    result = check_leads_to(model, prop.p, prop.q)
    lasso = result.witness
    source = lasso.draw().source
    last = len(lasso.steps) - 2  # the repeated state is drawn once
    assert f"s{last} -> s{lasso.loop_start}" in source
    assert "style=dashed" in source


def test_step_through_is_self_contained_html() -> None:
    trace = check(classic("mutex_naive"))["inv_mutual_exclusion"].trace
    assert trace is not None
    page = step_through(trace, title="race")
    html = page._repr_html_()
    assert len(re.findall(r'class="step( focus)?"', html)) == len(trace.steps)
    assert "<script>" in html
    assert "http" not in html  # nothing fetched: works offline, on the static site
    assert re.search(r'id="(fmlab-steps-[^"]+)"', html)
    assert 'class="changed"' in html
    assert "violation" in html
    assert "step-through of 4 steps" in repr(page)


def test_step_through_ids_are_unique() -> None:
    trace = check(classic("mutex_naive"))["inv_mutual_exclusion"].trace
    assert trace is not None
    first = re.search(r'id="([^"]+)"', step_through(trace).html)
    second = re.search(r'id="([^"]+)"', step_through(trace).html)
    assert first is not None
    assert second is not None
    assert first.group(1) != second.group(1)
