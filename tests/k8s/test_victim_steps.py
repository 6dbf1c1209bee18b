"""How a recorded step of SelectVictimsOnNode reads."""

from __future__ import annotations

from fmlab.k8s._victim_steps import StepAction, VictimStep


def test_removal_step_tells_the_verdict_and_its_reasons() -> None:
    fits = VictimStep(StepAction.REMOVE_LOWER, ("d/a", "d/b"), True, (), ("d/a", "d/b"), ())
    assert fits.describe() == "remove every lower-priority pod (d/a, d/b): the pod fits"
    assert fits.caption == "set aside 2"
    fails = VictimStep(StepAction.REMOVE_LOWER, ("d/a",), False, ("x", "y"), ("d/a",), ())
    assert fails.describe().endswith("the pod does not fit (x; y)")


def test_put_back_step_says_whether_the_pod_stays() -> None:
    stays = VictimStep(StepAction.PUT_BACK, ("d/a",), True, (), (), ())
    goes = VictimStep(StepAction.PUT_BACK, ("d/a",), False, ("r",), ("d/a",), ("d/a",))
    assert stays.describe() == "put back d/a: still fits, so it stays"
    assert goes.describe() == "put back d/a: no longer fits, so it is a victim"
    assert goes.caption == "put back a"
