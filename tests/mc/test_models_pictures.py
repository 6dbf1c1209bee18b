"""The chapter's drawings (fmlab.mc.models.pictures)."""

from __future__ import annotations

import pytest

from fmlab.mc import Model, check_invariant, check_leads_to, check_refinement
from fmlab.mc.models import cri, pictures, rkt_immutable, rktlet
from fmlab.mc.models.cri import Container, CriState, Sandbox


def test_fields_split_the_containers_and_name_the_flag() -> None:
    state = CriState(Sandbox.READY, (Container.RUNNING, Container.ABSENT))
    assert pictures.fields(state) == {
        "sandbox": Sandbox.READY,
        "c0": Container.RUNNING,
        "c1": Container.ABSENT,
    }
    assert pictures.fields((state, True))["stop called"] == "yes"


def test_a_long_trace_is_drawn_top_to_bottom_with_the_violation_marked() -> None:
    model = Model.from_namespace(rkt_immutable.namespace(2, preloaded=True))
    trace = check_invariant(model, "inv_sandbox_stable").witness
    source = pictures.draw_steps(trace).source
    assert "rankdir=TB" in source
    assert "violation" in source
    assert "PREPARED" in source
    assert "App.PREPARED" not in source


def test_a_lasso_and_a_divergence_are_drawn() -> None:
    unfair = Model.from_namespace(cri.namespace(1, fair=False))
    lasso = check_leads_to(unfair, *cri.leadsto_removal_completes).witness
    assert "loop start" in pictures.draw_steps(lasso).source
    race = check_refinement(
        Model.from_namespace(rktlet.namespace(1, mapping=rktlet.BEFORE_PR_142)),
        Model.from_namespace(cri.namespace(1)),
    ).witness
    assert "cannot follow" in pictures.draw_steps(race).source


def test_the_graph_leaves_out_the_steps_that_change_nothing() -> None:
    source = pictures.draw_graph(cri.namespace(1)).source
    assert "RunPodSandbox" in source
    assert "PodSandboxStatus" not in source
    assert source.count("->") >= 16


def test_a_graph_too_large_to_read_is_refused() -> None:
    with pytest.raises(ValueError, match="too many"):
        pictures.draw_graph(cri.namespace(3))
