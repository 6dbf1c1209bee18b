"""Priority admission: resolved once, at creation, and never again."""

from __future__ import annotations

import pytest

from fmlab.k8s._admission import AdmissionError, ApiServer, PriorityAdmission
from fmlab.k8s._model import NEVER, PREEMPT_LOWER_PRIORITY, Pod, PriorityClass


def _pod(name: str, cls: str = "", priority: int | None = None) -> Pod:
    return Pod("default", name, priority_class_name=cls, priority=priority)


# --- the three behaviours from the talk (Kubernetes Meetup Tokyo #10) -----------------


def test_talk_1_without_the_admission_plugin_a_class_name_has_no_effect() -> None:
    api = ApiServer(admission_enabled=False)
    api.create_class(PriorityClass("high", 1000))
    stored = api.create_pod(_pod("web", "high"))
    # The scheduler reads the priority field, which nobody filled in.
    assert stored.priority is None
    assert stored.effective_priority == 0
    enabled = ApiServer()
    enabled.create_class(PriorityClass("high", 1000))
    assert enabled.create_pod(_pod("web", "high")).effective_priority == 1000


def test_talk_2_a_later_global_default_does_not_reach_existing_pods() -> None:
    api = ApiServer()
    before = api.create_pod(_pod("early"))
    api.create_class(PriorityClass("default-high", 500, global_default=True))
    after = api.create_pod(_pod("late"))
    assert api.pods["default/early"].priority == 0 == before.priority
    assert after.priority == 500
    assert after.priority_class_name == "default-high"


def test_talk_3_deleting_a_class_keeps_existing_pods_priority() -> None:
    api = ApiServer()
    api.create_class(PriorityClass("high", 1000))
    api.create_pod(_pod("web", "high"))
    api.delete_class("high")
    assert api.pods["default/web"].priority == 1000
    with pytest.raises(AdmissionError, match="no PriorityClass with name high was found"):
        api.create_pod(_pod("web-2", "high"))


# --- the plugin's rules -------------------------------------------------------------


def test_no_default_means_zero_and_lowest_default_wins_after_a_race() -> None:
    admission = PriorityAdmission()
    assert admission.admit(_pod("a")).priority == 0
    admission._classes["d1"] = PriorityClass("d1", 300, global_default=True)
    admission._classes["d2"] = PriorityClass("d2", 100, global_default=True)
    assert admission.admit(_pod("b")).priority == 100


def test_only_one_global_default_can_be_created() -> None:
    admission = PriorityAdmission([PriorityClass("d1", 1, global_default=True)])
    with pytest.raises(AdmissionError, match="already marked as default"):
        admission.create_class(PriorityClass("d2", 2, global_default=True))


def test_client_set_priority_must_match() -> None:
    admission = PriorityAdmission([PriorityClass("high", 1000)])
    assert admission.admit(_pod("ok", "high", priority=1000)).priority == 1000
    with pytest.raises(AdmissionError, match="must not be provided"):
        admission.admit(_pod("bad", "high", priority=5))
    with pytest.raises(AdmissionError, match="must not be provided"):
        admission.admit(_pod("bad", priority=7))


def test_class_validation() -> None:
    admission = PriorityAdmission()
    with pytest.raises(AdmissionError, match="reserved"):
        admission.create_class(PriorityClass("system-mine", 1))
    with pytest.raises(AdmissionError, match="must not exceed"):
        admission.create_class(PriorityClass("huge", 1_000_000_001))
    assert admission.admit(_pod("k", "system-node-critical")).priority == 2_000_001_000


def test_preemption_policy_comes_from_the_class() -> None:
    admission = PriorityAdmission([PriorityClass("polite", 10, preemption_policy=NEVER)])
    assert admission.admit(_pod("a", "polite")).preemption_policy == NEVER
    assert admission.admit(_pod("b")).preemption_policy == PREEMPT_LOWER_PRIORITY
    with pytest.raises(AdmissionError, match="PreemptionPolicy"):
        admission.admit(
            Pod(
                "default",
                "c",
                priority_class_name="polite",
                preemption_policy=PREEMPT_LOWER_PRIORITY,
            )
        )
