"""The four operations: ``travel_to``, ``jump_to``, ``accelerate`` and ``halt``.

Each returns a :class:`Block`: a context manager that is also a decorator (for plain and
``async`` functions), and blocks nest. As in the Haskell library they are all one
primitive, "derive a new context from the enclosing one":

==================  ==========================  ============  =========================
operation           simulated instant           zone          scale
==================  ==========================  ============  =========================
``travel_to(d)``    the destination ``d``       kept          kept
``jump_to(z)``      kept                        ``z``         kept
``accelerate(k)``   kept                        kept          enclosing scale times k
``accelerate(       kept                        kept          ``v``
velocity=v)``
``halt()``          kept                        kept          0
==================  ==========================  ============  =========================

"Kept" means snapshotted when the block is entered: the enclosing context's reading at
that moment becomes the new simulated origin. Leaving a block restores the enclosing
context exactly, so its clock reads as if the block never happened (simulated time can
jump backwards when a faster inner block ends). Because ``accelerate(k)`` multiplies,
it cannot restart a halted clock; ``accelerate(velocity=v)`` can.

>>> from datetime import datetime, timezone
>>> from fmlab.timetravel._clock import ManualClock
>>> from fmlab.timetravel._spacetime import now_utc, use_clock
>>> clock = ManualClock(utc=datetime(2020, 1, 1, tzinfo=timezone.utc))
>>> with use_clock(clock), travel_to("1985-10-26T08:24Z"), accelerate(60):
...     clock.advance(1)
...     print(now_utc().isoformat())
1985-10-26T08:25:00+00:00
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast, overload
from zoneinfo import ZoneInfo

from fmlab.timetravel._destinations import Destination, parse_destination, resolve
from fmlab.timetravel._spacetime import Spacetime, current_context, enter, leave
from fmlab.timetravel._zones import Policy, check_fold_and_policy, load_zone

if TYPE_CHECKING:
    from fmlab.timetravel._stdlib_patch import PatchHandle, StdlibPatcher

P = ParamSpec("P")
R = TypeVar("R")
Case = TypeVar("Case", bound=type)

Change = Callable[[Spacetime], Spacetime]


_Entry = tuple["Block", Token[Spacetime], "PatchHandle | None"]
# What each thread or task has entered and not yet left, innermost last. Kept in a
# context variable, not on the Block, so that one Block object shared by several threads
# or asyncio tasks (a module-level `FROZEN = halt()`, say) undoes the right entry in each.
_open_entries: ContextVar[tuple[_Entry, ...]] = ContextVar("fmlab_timetravel_open", default=())


class Block:
    """A reusable, nestable context manager and decorator that enters a derived context.

    The same object may be entered again while active, and from several threads or tasks
    at once: each exit undoes the latest entry of that block in its own thread or task.
    As a decorator it enters the block on every call (sync and ``async`` functions); on a
    :class:`unittest.TestCase` class it holds the block from ``setUpClass`` to the class's
    clean-ups, so every test, ``setUp`` and ``tearDown`` runs inside it (async tests of an
    :class:`unittest.IsolatedAsyncioTestCase` included). Any other class is refused with
    ``TypeError``: wrapping it as a function would hide its tests from the runner.

    An exit in a thread or task that did not enter the block raises ``RuntimeError``, but
    not before it has removed the standard-library patch that entry installed: the patch
    is process-wide, and an exit that fails must not leave it behind.
    """

    __slots__ = ("_change", "_patch")

    def __init__(self, change: Change, *, patch_stdlib: bool = False) -> None:
        self._change = change
        self._patch = patch_stdlib

    def __enter__(self) -> Spacetime:
        inner = self._change(current_context())
        token = enter(inner)
        patch: PatchHandle | None = None
        if self._patch:
            try:
                patch = _stdlib_patcher().start(owner=self)
            except BaseException:
                leave(token)
                raise
        elif _patcher:
            _patcher[0].note_move()
        _open_entries.set((*_open_entries.get(), (self, token, patch)))
        return inner

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        entries = _open_entries.get()
        index = len(entries) - 1
        while index >= 0 and entries[index][0] is not self:
            index -= 1
        if index < 0:
            cleaned = self._patch and bool(_patcher) and _patcher[0].stop_latest_of(self)
            raise RuntimeError(
                "leaving a time-travel block that this thread or task did not enter"
                + ("; the standard-library patch it installed was removed" if cleaned else "")
            )
        _, token, patch = entries[index]
        _open_entries.set(entries[:index] + entries[index + 1 :])
        try:
            if patch is not None:
                _stdlib_patcher().stop(patch)
            elif _patcher:
                _patcher[0].note_move()
        finally:
            try:
                leave(token)
            except ValueError:
                # The entry was copied into this context (a task created inside the block):
                # its token belongs to the context that entered, which keeps the block.
                raise RuntimeError(
                    "leaving a time-travel block in another thread or task than the one "
                    "that entered it; the block stays entered there"
                    + ("; its standard-library patch was removed" if patch is not None else "")
                ) from None

    @overload
    def __call__(self, func: Case) -> Case: ...

    @overload
    def __call__(self, func: Callable[P, R]) -> Callable[P, R]: ...

    def __call__(self, func: Any) -> Any:
        if isinstance(func, type):
            return _decorate_test_case(self, func)
        return self._decorate_function(func)

    def _decorate_function(self, func: Callable[P, R]) -> Callable[P, R]:
        if inspect.iscoroutinefunction(func):
            coroutine_function: Callable[P, Coroutine[Any, Any, Any]] = func

            @functools.wraps(func)
            async def run_async(*args: P.args, **kwargs: P.kwargs) -> Any:
                with self:
                    return await coroutine_function(*args, **kwargs)

            return cast(Callable[P, R], run_async)

        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with self:
                return func(*args, **kwargs)

        return run


def _decorate_test_case(block: Block, case: type) -> type:
    """Hold ``block`` around a TestCase class: entered in setUpClass, left by a class clean-up."""
    import unittest  # only class decoration needs it

    if not issubclass(case, unittest.TestCase):
        raise TypeError(
            f"a time-travel block decorates functions, coroutine functions and "
            f"unittest.TestCase classes, not the class {case.__qualname__}: decorate its "
            f"methods instead"
        )
    test_case: type[unittest.TestCase] = case
    entered: dict[type, Spacetime] = {}  # the context each (sub)class's setUpClass entered
    set_up_class = test_case.setUpClass.__func__  # type: ignore[attr-defined]
    set_up = test_case.setUp

    @functools.wraps(set_up_class)
    def set_up_class_inside(cls: type[unittest.TestCase]) -> None:
        entered[cls] = block.__enter__()
        # A class clean-up runs after tearDownClass, and also when setUpClass fails.
        cls.addClassCleanup(_leave_class_block, block, entered, cls)
        set_up_class(cls)

    @functools.wraps(set_up)
    def set_up_inside(self: unittest.TestCase) -> None:
        context = entered.get(type(self))
        if context is not None and current_context() is not context:
            # IsolatedAsyncioTestCase runs each test in a context copied when the test
            # object was made, before setUpClass: carry the class's context into it.
            self.addCleanup(leave, enter(context))
        set_up(self)

    test_case.setUpClass = classmethod(set_up_class_inside)  # type: ignore[assignment,method-assign]
    test_case.setUp = set_up_inside  # type: ignore[method-assign]
    return case


def _leave_class_block(block: Block, entered: dict[type, Spacetime], cls: type) -> None:
    entered.pop(cls, None)
    block.__exit__(None, None, None)


_patcher: list[StdlibPatcher] = []


def _stdlib_patcher() -> StdlibPatcher:
    # Imported on first use (plain travel never needs the patching machinery), then cached.
    if not _patcher:
        from fmlab.timetravel._stdlib_patch import PATCHER

        _patcher.append(PATCHER)
    return _patcher[0]


# [start:operations]
def travel_to(
    destination: Destination,
    *,
    fold: int = 0,
    policy: Policy = "fold",
    patch_stdlib: bool = False,
) -> Block:
    """Move the simulated instant to ``destination``; keep the zone and the scale."""
    if fold != 0 or policy != "fold":  # the defaults are valid; skip the check for speed
        check_fold_and_policy(fold, policy)
    if type(destination) is datetime and destination.tzinfo is UTC:
        return Block(lambda outer: outer.derive(instant=destination), patch_stdlib=patch_stdlib)
    target = parse_destination(destination)
    if isinstance(target, datetime) and target.utcoffset() is not None:
        instant = target.astimezone(UTC)  # resolved once: entering is then just arithmetic
        return Block(lambda outer: outer.derive(instant=instant), patch_stdlib=patch_stdlib)

    def arrive(here: datetime, zone_info: Callable[[], ZoneInfo]) -> datetime:
        return resolve(target, here, zone_info(), fold=fold, policy=policy)

    return Block(lambda outer: outer.derive(destination=arrive), patch_stdlib=patch_stdlib)


def jump_to(zone_name: str, *, patch_stdlib: bool = False) -> Block:
    """Change the simulated zone to ``zone_name``; keep the instant and the scale."""
    zone_info = load_zone(zone_name)  # fails here, at once, for an unknown zone
    return Block(lambda outer: outer.derive(zone_info=zone_info), patch_stdlib=patch_stdlib)


def accelerate(
    factor: float | None = None, *, velocity: float | None = None, patch_stdlib: bool = False
) -> Block:
    """Multiply the scale by ``factor``, or set it to ``velocity`` (give exactly one)."""
    if (factor is None) == (velocity is None):
        raise TypeError("accelerate() takes a factor or velocity=, exactly one of them")
    amount = factor if factor is not None else velocity
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not amount >= 0:
        raise ValueError(f"a time scale is a finite number >= 0, got {amount!r}")
    if amount == float("inf"):
        raise ValueError("a time scale must be finite")
    if factor is not None:
        scaled = float(factor)
        return Block(
            lambda outer: outer.derive(rate=outer.rate * scaled), patch_stdlib=patch_stdlib
        )
    fixed = float(amount)
    return Block(lambda outer: outer.derive(rate=fixed), patch_stdlib=patch_stdlib)


def halt(*, patch_stdlib: bool = False) -> Block:
    """Stop simulated time: every reading inside is the instant the block was entered."""
    return accelerate(velocity=0.0, patch_stdlib=patch_stdlib)


# [end:operations]
