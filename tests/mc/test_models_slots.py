"""The models' shared state vocabulary: bare names, slot updates, the trace layout."""

from __future__ import annotations

from fmlab.mc.models import cri, rkt_immutable, rkt_mutable
from fmlab.mc.models._slots import replaced


def test_states_print_as_traces_write_them() -> None:
    assert repr(cri.initial_state(2)) == "sandbox=NONE c0=ABSENT c1=ABSENT"
    assert repr(cri.initial_state(0)) == "sandbox=NONE"
    stopped = rkt_mutable.MutablePodState(
        rkt_mutable.Pod.STOPPING, (rkt_mutable.App.RUNNING,), stop_called=True
    )
    assert repr(stopped) == "pod=STOPPING c0=RUNNING (stop called)"
    assert str(rkt_immutable.initial_state(1)) == "pod=NONE c0=NOT_IN_POD"
    assert f"{cri.Sandbox.READY}" == "READY"
    assert repr(rkt_immutable.App.EXITED) == "EXITED"


def test_replaced_sets_one_slot_and_keeps_the_rest() -> None:
    assert replaced(("a", "b", "c"), 0, "x") == ("x", "b", "c")
    assert replaced(("a", "b", "c"), 2, "x") == ("a", "b", "x")
