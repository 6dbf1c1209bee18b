"""What time-machine's and freezegun's test suites found (issue 16), from the user's side.

Each test uses only the public API and the standard library: ``uuid1`` after travelling
back, exits refused because another task entered the block, ``$TZ`` written as a path or a
POSIX rule, and ``unittest.TestCase`` classes as decoration targets. The property at the
end drives random sequences of nested, raising and cross-task exits and checks that the
process is left exactly as it was found.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as datetime_module
import os
import sys
import threading
import time
import unittest
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.timetravel import PATCHER, Block, halt, jump_to, now_utc, travel_to, zone

PAST = datetime(1971, 3, 4, 5, 6, 7, tzinfo=UTC)
FAR_FUTURE = datetime(2056, 7, 8, 9, 10, 11, tzinfo=UTC)
REAL_ERA = datetime(2024, 1, 1, tzinfo=UTC)
UUID_EPOCH = datetime(1582, 10, 15, tzinfo=UTC)  # uuid1 counts 100 ns steps from here
PARIS_FILE = Path("/usr/share/zoneinfo/Europe/Paris")


def _stamped(made: uuid.UUID) -> datetime:
    return UUID_EPOCH + timedelta(microseconds=made.time // 10)


def _process_state() -> tuple[object, ...]:
    """Everything a patching block may change, read through the standard library."""
    state: tuple[object, ...] = (
        time.time,
        time.time_ns,
        time.gmtime,
        time.localtime,
        time.ctime,
        time.strftime,
        datetime_module.datetime,
        datetime_module.date,
        uuid.uuid1,
        getattr(uuid, "_generate_time_safe", "missing"),
        getattr(uuid, "_last_timestamp", "missing"),
        os.environ.get("TZ"),
        time.tzname,
        datetime.now(UTC) > REAL_ERA,
        datetime(*time.gmtime()[:6], tzinfo=UTC) > REAL_ERA,
        PATCHER.active,
    )
    try:
        import time_machine
    except ImportError:  # pragma: no cover - time-machine is in the pinned dependencies
        return state
    return (*state, id(time_machine.traveller_stack), list(time_machine.traveller_stack))


@pytest.fixture(params=["native", "python"])
def mode(request: pytest.FixtureRequest) -> Iterator[str]:
    """Both patching mechanisms (native is skipped where time-machine's C part is missing)."""
    PATCHER.prefer(request.param)
    try:
        if PATCHER.mode != request.param:
            pytest.skip("time-machine's C extension is not available here")
        yield request.param
    finally:
        PATCHER.prefer("native")


# --- 1. uuid1 follows the clock back --------------------------------------------------


@pytest.mark.parametrize("inner_patches", [True, False])
def test_uuid1_stamps_the_outer_time_again_after_an_inner_block_ends(
    mode: str, inner_patches: bool
) -> None:
    before = _process_state()
    with halt(), travel_to(PAST, patch_stdlib=True):
        with travel_to(FAR_FUTURE, patch_stdlib=inner_patches):
            assert _stamped(uuid.uuid1()) == FAR_FUTURE
        # uuid1 refuses to stamp before its last stamp; after the block it must not
        # remember one from 2056.
        assert _stamped(uuid.uuid1()).year == 1971
        assert datetime_module.datetime.now(UTC) == PAST  # the module attribute: both modes
    assert _process_state() == before


def test_uuid1_bound_before_the_block_also_follows_the_clock_back(mode: str) -> None:
    from uuid import uuid1 as early_bound_uuid1

    with halt(), travel_to(PAST, patch_stdlib=True):
        with travel_to(FAR_FUTURE):
            assert _stamped(early_bound_uuid1()) == FAR_FUTURE
        assert _stamped(early_bound_uuid1()) == PAST


def test_uuid1_stamps_increase_within_one_halted_block(mode: str) -> None:
    with halt(), travel_to(PAST, patch_stdlib=True):
        stamps = [uuid.uuid1().time for _ in range(50)]
    assert stamps == sorted(set(stamps))  # unique and increasing, as without travel
    assert stamps[0] == (PAST - UUID_EPOCH) // timedelta(microseconds=1) * 10


def test_uuid1_in_one_thread_does_not_drag_another_thread_into_its_future(mode: str) -> None:
    stamped_by_thread: list[datetime] = []
    future_made = threading.Event()
    carry_on = threading.Event()

    def traveller() -> None:
        with halt(), travel_to(FAR_FUTURE):
            stamped_by_thread.append(_stamped(uuid.uuid1()))
            future_made.set()
            carry_on.wait(timeout=10)

    with halt(), travel_to(PAST, patch_stdlib=True):
        thread = threading.Thread(target=traveller)
        thread.start()
        assert future_made.wait(timeout=10)
        here = _stamped(uuid.uuid1())  # while the other thread is still in 2056
        carry_on.set()
        thread.join(timeout=10)
    assert stamped_by_thread == [FAR_FUTURE]
    assert here == PAST


# --- 2. an exit refused elsewhere still restores the process ----------------------------


def test_an_exit_in_another_task_is_refused_and_leaves_the_process_as_found(mode: str) -> None:
    before = _process_state()
    block = travel_to(FAR_FUTURE, patch_stdlib=True)

    async def scenario() -> None:
        # An async-generator fixture does this: set-up in one task, tear-down in another.
        await asyncio.create_task(_enter(block))
        assert PATCHER.active  # the patch is process-wide: the entering task is gone, it stays
        with pytest.raises(RuntimeError, match=r"did not enter.*patch it installed was removed"):
            await asyncio.create_task(_exit(block))

    asyncio.run(scenario())
    assert _process_state() == before
    _time_machine_still_starts()


def test_an_exit_in_a_task_started_inside_the_block_restores_the_process(mode: str) -> None:
    before = _process_state()
    block = travel_to(FAR_FUTURE, patch_stdlib=True)

    async def scenario() -> None:
        with halt():
            block.__enter__()
            # The task's context is a copy that lists the block; its exit is not the owner's.
            with pytest.raises(RuntimeError, match=r"another thread or task.*patch was removed"):
                await asyncio.create_task(_exit(block))
            assert not PATCHER.active
            assert os.environ.get("TZ") == before[11]
            block.__exit__(None, None, None)  # the owner leaves later: nothing left to undo

    asyncio.run(scenario())
    assert _process_state() == before


def test_an_exit_in_another_thread_is_refused_and_restores_the_process(mode: str) -> None:
    before = _process_state()
    block = halt(patch_stdlib=True)
    block.__enter__()
    errors: list[BaseException] = []

    def leave_here() -> None:
        try:
            block.__exit__(None, None, None)
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=leave_here)
    thread.start()
    thread.join(timeout=10)
    assert len(errors) == 1
    assert not PATCHER.active
    block.__exit__(None, None, None)
    assert _process_state() == before


async def _enter(block: Block) -> None:
    block.__enter__()


async def _exit(block: Block) -> None:
    block.__exit__(None, None, None)


def _time_machine_still_starts() -> None:
    try:
        import time_machine
    except ImportError:  # pragma: no cover
        return
    with time_machine.travel(PAST, tick=False):
        assert datetime_module.datetime.now(UTC) == PAST  # the module attribute: both modes


# --- 3. $TZ as a path, and as a POSIX rule ----------------------------------------------


@pytest.mark.skipif(not PARIS_FILE.exists(), reason="no system zoneinfo database")
@pytest.mark.parametrize("tz", [f":{PARIS_FILE}", str(PARIS_FILE), ":Europe/Paris"])
def test_tz_as_a_path_names_its_zone_and_patching_keeps_the_wall_clock(
    mode: str, tz: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        assert zone() == "Europe/Paris"
        winter = datetime(2021, 1, 15, 12, tzinfo=UTC).timestamp()
        # The C library is the independent reference: glibc reads the same file.
        assert time.localtime(winter).tm_gmtoff == 3600
        with travel_to(datetime(2021, 7, 1, 12, tzinfo=UTC), patch_stdlib=True):
            assert os.environ["TZ"] == tz  # asked for no zone change: $TZ is not rewritten
            assert time.localtime().tm_hour == 14  # 12:00Z is 14:00 in Paris in summer
            assert datetime_module.datetime.now().hour == 14
        assert os.environ["TZ"] == tz
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_posix_rule_in_tz_is_left_alone_by_patching(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = "XST-5XDT,M3.2.0,M11.1.0"  # a zone no IANA key is called
    monkeypatch.setenv("TZ", rule)
    time.tzset()
    try:
        instant = datetime(2021, 7, 1, 12, tzinfo=UTC)
        expected_hour = time.localtime(instant.timestamp()).tm_hour  # glibc's reading
        assert expected_hour == 18  # UTC+5 plus an hour of summer time
        with halt(), travel_to(instant, patch_stdlib=True):
            assert os.environ["TZ"] == rule
            assert time.localtime().tm_hour == expected_hour
            assert datetime_module.datetime.now().hour == expected_hour
            with jump_to("Asia/Tokyo", patch_stdlib=True):
                assert time.localtime().tm_hour == 21  # an explicit zone is still set
            assert os.environ["TZ"] == rule
        assert os.environ["TZ"] == rule
    finally:
        monkeypatch.undo()
        time.tzset()


# --- 4. unittest.TestCase classes --------------------------------------------------------


def _run(case: type[unittest.TestCase]) -> unittest.TestResult:
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(case)
    result = unittest.TestResult()
    suite.run(result)
    return result


def test_a_decorated_test_case_runs_every_test_and_fixture_inside_the_block() -> None:
    seen: dict[str, datetime] = {}

    @halt()
    @travel_to(PAST)
    class Checks(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            seen["setUpClass"] = now_utc()

        def setUp(self) -> None:
            seen[f"setUp {self._testMethodName}"] = now_utc()

        def tearDown(self) -> None:
            seen[f"tearDown {self._testMethodName}"] = now_utc()

        @classmethod
        def tearDownClass(cls) -> None:
            seen["tearDownClass"] = now_utc()

        def test_one(self) -> None:
            seen["test_one"] = now_utc()

        def test_two(self) -> None:
            seen["test_two"] = now_utc()

    result = _run(Checks)
    assert (result.testsRun, result.errors, result.failures) == (2, [], [])
    assert len(seen) == 8
    assert set(seen.values()) == {PAST}
    assert now_utc() > REAL_ERA


def test_a_decorated_async_test_case_runs_its_tests_inside_the_block() -> None:
    seen: list[datetime] = []

    @halt()
    @travel_to(FAR_FUTURE)
    class AsyncChecks(unittest.IsolatedAsyncioTestCase):
        async def asyncSetUp(self) -> None:
            seen.append(now_utc())

        async def test_one(self) -> None:
            await asyncio.sleep(0)
            seen.append(now_utc())

    result = _run(AsyncChecks)
    assert (result.testsRun, result.errors, result.failures) == (1, [], [])
    assert seen == [FAR_FUTURE, FAR_FUTURE]
    assert now_utc() > REAL_ERA


def test_a_decorated_test_case_whose_set_up_class_fails_leaves_the_block() -> None:
    before = _process_state()

    @travel_to(PAST, patch_stdlib=True)
    class Broken(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            raise ValueError("no fixture")

        def test_never(self) -> None:  # pragma: no cover - setUpClass fails first
            pass

    result = _run(Broken)
    assert len(result.errors) == 1
    assert _process_state() == before


def test_decorating_any_other_class_is_refused() -> None:
    with pytest.raises(TypeError, match=r"unittest\.TestCase classes, not the class"):

        @travel_to(PAST)
        class NotATestCase:
            def test_hidden(self) -> None:  # pragma: no cover - never collected
                pass


# --- the property: any sequence of exits leaves the process as it was ------------------

_KINDS = ("travel", "halt", "jump")
_EXITS = ("normal", "raising", "other-thread", "copied-context")
_steps = st.lists(
    st.one_of(
        st.tuples(st.just("enter"), st.sampled_from(_KINDS), st.booleans()),
        st.tuples(st.just("exit"), st.sampled_from(_EXITS), st.just(False)),
        st.tuples(st.just("uuid1"), st.just(""), st.just(False)),
    ),
    max_size=12,
)


def _block(kind: str, patch: bool, depth: int) -> Block:
    if kind == "travel":
        return travel_to(PAST if depth % 2 else FAR_FUTURE, patch_stdlib=patch)
    if kind == "halt":
        return halt(patch_stdlib=patch)
    return jump_to("Asia/Tokyo" if depth % 2 else "America/Santiago", patch_stdlib=patch)


def _exit_elsewhere(block: Block, how: str) -> None:
    """Leave ``block`` from a context that did not enter it; the exit must be refused."""
    errors: list[BaseException] = []

    def leave() -> None:
        try:
            block.__exit__(None, None, None)
        except RuntimeError as error:
            errors.append(error)

    if how == "other-thread":
        thread = threading.Thread(target=leave)
        thread.start()
        thread.join(timeout=10)
    else:
        contextvars.copy_context().run(leave)
    assert len(errors) == 1, how


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=_steps)
def test_any_sequence_of_exits_leaves_the_process_as_found(
    mode: str, steps: list[tuple[str, str, bool]]
) -> None:
    before = _process_state()
    open_blocks: list[Block] = []
    for action, what, patch in steps:
        if action == "enter":
            block = _block(what, patch, len(open_blocks))
            block.__enter__()
            open_blocks.append(block)
        elif action == "uuid1":
            uuid.uuid1()
        elif open_blocks and what in ("other-thread", "copied-context"):
            _exit_elsewhere(open_blocks[-1], what)
        elif open_blocks:
            block = open_blocks.pop()
            if what == "raising":
                try:
                    raise KeyError("inside the block")
                except KeyError:
                    block.__exit__(*sys.exc_info())
            else:
                block.__exit__(None, None, None)
    while open_blocks:
        open_blocks.pop().__exit__(None, None, None)
    assert _process_state() == before
