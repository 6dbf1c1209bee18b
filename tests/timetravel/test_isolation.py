"""Contexts are per thread and per asyncio task."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from datetime import UTC, datetime, timedelta

from fmlab.timetravel import ManualClock, halt, jump_to, now_utc, travel_to, use_clock, zone

from .conftest import START


def test_threads_do_not_see_each_others_travel() -> None:
    barrier = threading.Barrier(3)
    seen: dict[int, tuple[datetime, str]] = {}

    def worker(index: int) -> None:
        clock = ManualClock(utc=START)
        with use_clock(clock), travel_to(START + timedelta(days=index)), halt():
            barrier.wait(timeout=10)  # every thread is inside its block at once
            seen[index] = (now_utc(), zone())
            barrier.wait(timeout=10)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert seen == {i: (START + timedelta(days=i), "UTC") for i in range(3)}


def test_a_new_thread_starts_in_real_time() -> None:
    result: list[datetime] = []
    with travel_to(datetime(1985, 10, 26, tzinfo=UTC)):
        thread = threading.Thread(target=lambda: result.append(now_utc()))
        thread.start()
        thread.join(timeout=10)
    assert result[0].year >= 2024


def test_a_copied_context_carries_the_travel() -> None:
    with halt(), travel_to(datetime(1985, 10, 26, tzinfo=UTC)):
        copied = contextvars.copy_context()
    assert copied.run(now_utc) == datetime(1985, 10, 26, tzinfo=UTC)
    assert now_utc().year >= 2024


def test_asyncio_tasks_are_isolated() -> None:
    clock = ManualClock(utc=START)

    async def traveller(days: int, zone_name: str) -> list[tuple[datetime, str]]:
        readings = []
        with travel_to(START + timedelta(days=days)), jump_to(zone_name), halt():
            for _ in range(3):
                await asyncio.sleep(0)  # let the other task run inside its own block
                readings.append((now_utc(), zone()))
        return readings

    async def main() -> None:
        first, second = await asyncio.gather(
            traveller(1, "Asia/Tokyo"), traveller(2, "Europe/Paris")
        )
        assert set(first) == {(START + timedelta(days=1), "Asia/Tokyo")}
        assert set(second) == {(START + timedelta(days=2), "Europe/Paris")}
        assert now_utc() == START  # the main task never travelled

    with use_clock(clock):
        asyncio.run(main())


def test_one_block_object_shared_by_interleaving_tasks() -> None:
    clock = ManualClock(utc=START)
    frozen = halt()  # one object, entered by every task
    order: list[str] = []

    async def task(name: str, days: int) -> datetime:
        with travel_to(START + timedelta(days=days)), frozen:
            order.append(f"{name} in")
            await asyncio.sleep(0)
            reading = now_utc()
            await asyncio.sleep(0)
        order.append(f"{name} out")
        return reading

    async def main() -> list[datetime]:
        return list(await asyncio.gather(task("a", 1), task("b", 2), task("c", 3)))

    with use_clock(clock):
        readings = asyncio.run(main())
    assert readings == [START + timedelta(days=d) for d in (1, 2, 3)]
    assert order[:3] == ["a in", "b in", "c in"]  # the entries really interleaved


def test_one_block_object_shared_by_threads() -> None:
    shared = jump_to("Asia/Tokyo")
    barrier = threading.Barrier(4)
    zones: list[str] = []

    def worker() -> None:
        with shared:
            barrier.wait(timeout=10)
            zones.append(zone())
            barrier.wait(timeout=10)
        zones.append(zone())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert zones[:4] == ["Asia/Tokyo"] * 4
    assert "Asia/Tokyo" not in zones[4:]


def test_leaving_a_block_never_entered_is_an_error() -> None:
    import pytest

    block = halt()
    with pytest.raises(RuntimeError, match="did not enter"):
        block.__exit__(None, None, None)
