"""Names bound before the block (`from datetime import datetime`) under patch_stdlib=True.

In native mode time-machine's C wrappers ask fmlab's traveller for the time, so the real
class and functions, however they were imported, read the calling context; in python mode
they keep reading the real clock (the documented limit). The module under test is
``data/early_bound.py``, loaded once, before any block.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from fmlab.timetravel import (
    SYSTEM_CLOCK,
    ManualClock,
    accelerate,
    days,
    halt,
    jump_to,
    travel_to,
    use_clock,
)
from fmlab.timetravel._stdlib_patch import PATCHER, patch_stdlib

FUTURE = datetime(1985, 10, 26, 8, 24, tzinfo=UTC)
START = datetime(2020, 1, 1, tzinfo=UTC)
LA = "America/Los_Angeles"
REAL_ERA = datetime(2024, 1, 1, tzinfo=UTC)


def _load_early_bound() -> ModuleType:
    path = Path(__file__).parent / "data" / "early_bound.py"
    spec = importlib.util.spec_from_file_location("fmlab_tests_early_bound", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EARLY = _load_early_bound()

native_only = pytest.mark.skipif(
    PATCHER.mode != "native", reason="time-machine's C extension is not available here"
)


@pytest.fixture
def clock() -> Iterator[ManualClock]:
    manual = ManualClock(utc=START, zone=LA)
    with use_clock(manual):
        yield manual


def _reads_real_time() -> bool:
    return (
        EARLY.stamp() > REAL_ERA
        and EARLY.seconds() > REAL_ERA.timestamp()
        and EARLY.nanoseconds() > REAL_ERA.timestamp() * 10**9
        and EARLY.today() > REAL_ERA.date()
    )


def test_the_fixture_module_bound_the_real_objects() -> None:
    assert (EARLY.datetime, EARLY.date) == (datetime, date)
    assert (EARLY.time, EARLY.time_ns) == (time.time, time.time_ns)
    assert _reads_real_time()


@native_only
def test_travel_to_reaches_names_bound_before_the_block(clock: ManualClock) -> None:
    with travel_to(FUTURE, patch_stdlib=True):
        assert EARLY.stamp() == FUTURE
        assert EARLY.seconds() == FUTURE.timestamp()
        assert EARLY.nanoseconds() == int(FUTURE.timestamp()) * 10**9
        assert EARLY.naive_now() == datetime(1985, 10, 26, 1, 24)  # $TZ is the zone, LA
        assert EARLY.utc_naive() == datetime(1985, 10, 26, 8, 24)
        assert EARLY.today() == date(1985, 10, 26)
        assert EARLY.local_hour() == 1
        assert EARLY.formatted() == "1985-10-26 01:24 PDT"
        clock.advance(90)  # travel_to keeps the scale: real speed
        assert EARLY.stamp() == FUTURE + timedelta(seconds=90)
    # After the block the stdlib is unpatched: real time, though fmlab's source is manual.
    assert _reads_real_time()


@native_only
def test_halt_stops_names_bound_before_the_block(clock: ManualClock) -> None:
    with halt(patch_stdlib=True):
        frozen = (EARLY.stamp(), EARLY.nanoseconds())
        clock.advance(3600)
        assert (
            (EARLY.stamp(), EARLY.nanoseconds())
            == frozen
            == (START, int(START.timestamp()) * 10**9)
        )
    assert _reads_real_time()


@native_only
def test_accelerate_scales_names_bound_before_the_block(clock: ManualClock) -> None:
    with travel_to(FUTURE), accelerate(60, patch_stdlib=True):
        before = (EARLY.stamp(), EARLY.seconds(), EARLY.nanoseconds())
        clock.advance(1.5)
        after = (EARLY.stamp(), EARLY.seconds(), EARLY.nanoseconds())
        assert after[0] - before[0] == timedelta(seconds=90)
        assert after[1] - before[1] == 90.0
        assert after[2] - before[2] == 90 * 10**9
        with accelerate(velocity=0.5):  # not patching itself: still read through the patch
            clock.advance(4)
            assert EARLY.stamp() == after[0] + timedelta(seconds=2)
        # leaving the inner block restores the outer reading: 4 real s at 60x
        assert EARLY.stamp() == after[0] + timedelta(seconds=240)
    assert _reads_real_time()


@native_only
def test_python_readers_of_fmlab_agree_with_the_patched_builtins(clock: ManualClock) -> None:
    from fmlab.timetravel import now_utc

    with travel_to(FUTURE, patch_stdlib=True), accelerate(2):
        clock.advance(1)
        assert now_utc() == EARLY.stamp() == FUTURE + timedelta(seconds=2)
    with travel_to(FUTURE, patch_stdlib=True):  # on the system clock: no double shift
        assert abs(now_utc() - EARLY.stamp()) < timedelta(seconds=1)
        assert abs(now_utc() - FUTURE) < timedelta(seconds=5)


@native_only
def test_an_exception_restores_the_real_clock_for_early_names(clock: ManualClock) -> None:
    tz_before = os.environ.get("TZ")
    seen: list[datetime] = []

    def fail_inside() -> None:
        with halt(patch_stdlib=True), jump_to("Asia/Tokyo"):
            seen.append(EARLY.stamp())
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        fail_inside()
    assert seen == [START]
    assert _reads_real_time()
    assert os.environ.get("TZ") == tz_before
    assert not PATCHER.active


@native_only
def test_other_threads_outside_any_block_keep_real_time() -> None:
    inside = threading.Event()
    release = threading.Event()
    seen: list[bool] = []

    def patched_worker() -> None:
        with halt(), travel_to(FUTURE, patch_stdlib=True):
            inside.set()
            release.wait(timeout=10)
            seen.append(EARLY.stamp() == FUTURE)

    worker = threading.Thread(target=patched_worker)
    worker.start()
    assert inside.wait(timeout=10)
    assert PATCHER.active
    assert _reads_real_time()  # this thread is in no block
    release.set()
    worker.join(timeout=10)
    assert seen == [True]
    assert not PATCHER.active


@native_only
def test_asyncio_tasks_outside_the_block_keep_real_time() -> None:
    async def traveller(entered: asyncio.Event, leave: asyncio.Event) -> datetime:
        with halt(), travel_to(FUTURE, patch_stdlib=True):
            entered.set()
            await leave.wait()
            await asyncio.sleep(0.01)  # the event loop's clock still runs
            return EARLY.stamp()

    async def bystander(entered: asyncio.Event, leave: asyncio.Event) -> bool:
        await entered.wait()
        real = _reads_real_time() and PATCHER.active
        leave.set()
        return real

    async def main() -> tuple[datetime, bool]:
        entered, leave = asyncio.Event(), asyncio.Event()
        inside, outside = await asyncio.wait_for(
            asyncio.gather(traveller(entered, leave), bystander(entered, leave)), timeout=10
        )
        return inside, outside

    assert asyncio.run(main()) == (FUTURE, True)
    assert not PATCHER.active


@native_only
def test_uuid1_from_early_code_stamps_the_simulated_time(clock: ManualClock) -> None:
    with halt(), travel_to(FUTURE, patch_stdlib=True):
        stamp = uuid.uuid1().time
    assert stamp == int(FUTURE.timestamp()) * 10**7 + 0x01B21DD213814000


def test_python_mode_leaves_names_bound_before_the_block_real(clock: ManualClock) -> None:
    PATCHER.prefer("python")
    try:
        with halt(), travel_to(FUTURE, patch_stdlib=True):
            assert EARLY.stamp() > REAL_ERA  # the documented limit of the fallback
            assert time.time() == FUTURE.timestamp()  # module attributes are reached
    finally:
        PATCHER.prefer("native")


class _SkewedClock:
    """A custom source that reads the standard library itself: real time plus a day."""

    def now_utc(self) -> datetime:
        return datetime.now(UTC) + timedelta(days=1)

    def now_local(self) -> datetime:
        return self.now_utc()

    def zone(self) -> str:
        return "UTC"

    def scale(self) -> float:
        return 1.0


@native_only
def test_a_custom_source_that_reads_the_patched_stdlib_gets_real_time() -> None:
    def ahead_of_real_time() -> timedelta:
        return EARLY.stamp() - SYSTEM_CLOCK.now_utc()  # fmlab's real clock stays real

    second = timedelta(seconds=5)
    with use_clock(_SkewedClock()), patch_stdlib():
        # The source's own datetime.now call is answered with real time, not by asking
        # the source again (which would never end): real time plus its day.
        assert abs(ahead_of_real_time() - timedelta(days=1)) < second
        with halt(), travel_to(days(2).later):
            assert abs(ahead_of_real_time() - timedelta(days=3)) < second
    assert abs(ahead_of_real_time()) < second


@native_only
def test_threads_entering_and_leaving_patching_blocks_concurrently() -> None:
    """Install and uninstall race with readings in other threads: every answer is right."""
    errors: list[str] = []
    start = threading.Barrier(5)

    def traveller(year: int) -> None:
        destination = datetime(year, 1, 1, tzinfo=UTC)
        start.wait(timeout=10)
        for _ in range(150):
            with halt(), travel_to(destination, patch_stdlib=True):
                if (EARLY.stamp(), EARLY.seconds()) != (destination, destination.timestamp()):
                    errors.append(f"{year}: {EARLY.stamp()}")

    def bystander() -> None:
        start.wait(timeout=10)
        for _ in range(600):
            if EARLY.stamp() < REAL_ERA or EARLY.nanoseconds() < REAL_ERA.timestamp() * 10**9:
                errors.append(f"bystander: {EARLY.stamp()}")

    threads = [threading.Thread(target=traveller, args=(year,)) for year in (1985, 1955, 2015)]
    threads += [threading.Thread(target=bystander) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert not PATCHER.active
    assert _reads_real_time()
