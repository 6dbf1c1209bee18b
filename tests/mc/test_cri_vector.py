"""The fast-path CRI model of the benchmarks has the plain CRI model's states and steps."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from fmlab.mc import Model, check

FILE = Path(__file__).resolve().parents[2] / "benchmarks" / "mc" / "models" / "cri_vector.py"


def _module() -> Any:
    spec = importlib.util.spec_from_file_location("cri_vector_under_test", FILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("containers", [0, 1, 2, 3, 4])
def test_state_count_is_the_closed_form_on_both_paths(containers: int) -> None:
    module = _module()
    model = module.build(containers)
    fast = check(model)
    plain = check(model.to_plain_model())
    expected = 6**containers + 2 * 4**containers + 2
    assert fast.states == plain.states == expected
    assert fast.transitions == plain.transitions
    assert fast.holds
    assert plain.holds


@pytest.mark.parametrize("containers", [1, 2, 3])
def test_same_states_and_steps_as_the_chapter_model(containers: int) -> None:
    cri = pytest.importorskip("fmlab.mc.models.cri")  # the chapter's model (branch cri)
    plain = check(Model.from_namespace(cri.namespace(containers)))
    fast = check(_module().build(containers))
    assert (fast.states, fast.transitions) == (plain.states, plain.transitions)
    assert plain.states == cri.reachable_states(containers)
