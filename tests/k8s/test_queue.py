"""The scheduling queue: ordering, backoff, the unschedulable pool and its exits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.k8s._model import Pod
from fmlab.k8s._queue import SchedulingQueue


def _pod(name: str, priority: int = 0) -> Pod:
    return Pod("default", name, priority=priority)


def _fail(queue: SchedulingQueue, name: str, now: float) -> str:
    pod = queue.pop(now=now)
    assert pod is not None
    assert pod.name == name
    return queue.requeue_unschedulable(pod, now=now)


def test_priority_first_then_the_older_timestamp() -> None:
    queue = SchedulingQueue()
    queue.add(_pod("a", 5), now=2.0)
    queue.add(_pod("b", 5), now=1.0)
    queue.add(_pod("c", 9), now=3.0)
    order = [queue.pop(now=4.0) for _ in range(3)]
    assert [p.name for p in order if p] == ["c", "b", "a"]
    assert queue.pop(now=4.0) is None


@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 5)), min_size=1, max_size=12))
@settings(max_examples=50)
def test_pop_order_is_priority_then_timestamp(entries: list[tuple[int, int]]) -> None:
    queue = SchedulingQueue()
    for index, (priority, stamp) in enumerate(entries):
        queue.add(_pod(f"p{index}", priority), now=float(stamp))
    popped = []
    while (pod := queue.pop(now=100.0)) is not None:
        popped.append((-pod.effective_priority, queue.info(pod).timestamp))
    assert popped == sorted(popped)
    assert len(popped) == len(entries)


def test_backoff_doubles_from_one_second_up_to_ten() -> None:
    queue = SchedulingQueue()
    assert [queue.backoff_seconds(n) for n in range(7)] == [0, 1, 2, 4, 8, 10, 10]


def test_failed_pod_parks_in_the_pool_until_an_event() -> None:
    queue = SchedulingQueue()
    queue.add(_pod("p"), now=0.0)
    assert _fail(queue, "p", now=0.0) == "unschedulable"
    assert queue.pop(now=50.0) is None  # nothing moves it without an event
    assert queue.move_on_event("NodeAdd", now=50.0) == 1
    pod = queue.pop(now=50.0)
    assert pod is not None  # backoff (1 s) long over: straight to activeQ


def test_an_event_during_backoff_moves_to_backoffq() -> None:
    queue = SchedulingQueue()
    queue.add(_pod("p"), now=0.0)
    _fail(queue, "p", now=10.0)
    queue.move_on_event("PodDelete", now=10.5)
    assert queue.location(_pod("p")) == "backoff"
    assert queue.pop(now=10.9) is None
    assert queue.pop(now=11.0) is not None


def test_second_failure_backs_off_longer() -> None:
    queue = SchedulingQueue()
    queue.add(_pod("p"), now=0.0)
    _fail(queue, "p", now=0.0)
    queue.move_on_event("E", now=0.0)
    _fail(queue, "p", now=5.0)
    assert queue.info(_pod("p")).backoff_expiry == pytest.approx(7.0)  # 2 s after 2 tries


def test_pool_leftovers_are_flushed_after_five_minutes() -> None:
    queue = SchedulingQueue()
    queue.add(_pod("p"), now=0.0)
    _fail(queue, "p", now=0.0)
    assert queue.flush_unschedulable_leftover(now=300.0) == 0
    assert queue.flush_unschedulable_leftover(now=300.5) == 1
    assert queue.location(_pod("p")) == "active"


def test_a_move_request_during_the_attempt_skips_the_pool() -> None:
    queue = SchedulingQueue()
    queue.add(_pod("p"), now=0.0)
    pod = queue.pop(now=0.0)
    assert pod is not None
    queue.move_on_event("NodeUpdate", now=0.1)  # while p was being scheduled
    assert queue.requeue_unschedulable(pod, now=0.2) == "backoff"


def test_hints_choose_which_pods_move() -> None:
    queue = SchedulingQueue()
    for name in ("cpu-bound", "affinity-bound"):
        queue.add(_pod(name), now=0.0)
    for _ in range(2):
        pod = queue.pop(now=1.0)
        assert pod is not None
        plugin = "NodeResourcesFit" if pod.name == "cpu-bound" else "InterPodAffinity"
        queue.requeue_unschedulable(pod, now=1.0, plugins=frozenset({plugin}))
    moved = queue.move_on_event(
        "PodDelete", now=20.0, hint=lambda info, _: "NodeResourcesFit" in info.plugins
    )
    assert moved == 1
    assert queue.location(_pod("cpu-bound")) == "active"
    assert queue.location(_pod("affinity-bound")) == "unschedulable"


def test_failed_pod_queues_behind_its_equals() -> None:
    queue = SchedulingQueue()
    queue.add(_pod("first", 1), now=0.0)
    queue.add(_pod("second", 1), now=1.0)
    _fail(queue, "first", now=2.0)
    queue.move_on_event("E", now=5.0)
    popped = [queue.pop(now=5.0), queue.pop(now=5.0)]
    assert [p.name for p in popped if p] == ["second", "first"]


def test_lengths_and_delete() -> None:
    queue = SchedulingQueue()
    queue.add(_pod("a"), now=0.0)
    queue.add(_pod("b"), now=0.0)
    _fail(queue, "a", now=0.0)
    assert queue.lengths().to_json() == {"active": 1, "backoff": 0, "unschedulable": 1}
    queue.delete(_pod("b"))
    assert queue.pop(now=1.0) is None
    assert queue.lengths().to_json() == {"active": 0, "backoff": 0, "unschedulable": 1}
