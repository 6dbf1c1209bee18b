"""What reading a mocked clock costs, and what entering and leaving a block costs.

Contenders, side by side in one process: the unmocked ``datetime.now(UTC)``; fmlab's
``now_utc()`` inside ``travel_to`` (ticking) and inside ``halt()``; the same blocks with
``patch_stdlib=True`` read through ``datetime.datetime.now``, in native mode (time-machine's
C hooks dispatching to fmlab's context; also read through a name bound before the block)
and in the pure-Python fallback; time-machine's ``travel`` (C-level patching) and
freezegun's ``freeze_time`` (module rebinding), both ticking.

Every patching contender is read as ``datetime_module.datetime.now(UTC)`` (an attribute
lookup at call time) so that freezegun's replacement of the module attribute is seen.
The peers run last, so that nothing they leave behind can slow fmlab's cases.

Run with the harness (``make bench``) or alone: ``python benchmarks/time/bench_clock.py``
prints per-call medians in microseconds and the ratios, as JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as datetime_module
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fmlab.timetravel import halt, now_utc, travel_to
from fmlab.timetravel._stdlib_patch import PATCHER, Mode
from harness import Case

EARLY_BOUND_DATETIME = datetime  # as `from datetime import datetime` leaves it

SUITE = "time"
DESTINATION = datetime(1985, 10, 26, 8, 24, tzinfo=UTC)
CALLS = 100_000
CYCLES = 1000
READ = f"now() inside travel_to, {CALLS:,} calls"
ENTER = f"enter+exit of travel_to, {CYCLES} cycles"


# Each loop spells its read inline, so every contender pays the same loop overhead and
# no contender pays for an extra wrapper frame; "empty loop" measures that overhead.
def _empty_loop() -> datetime:
    value = DESTINATION
    for _ in range(CALLS):
        value = DESTINATION
    return value


def _stdlib_loop() -> datetime:
    value = DESTINATION
    for _ in range(CALLS):
        value = datetime_module.datetime.now(UTC)
    return value


def _early_bound_loop() -> datetime:
    value = DESTINATION
    for _ in range(CALLS):
        value = EARLY_BOUND_DATETIME.now(UTC)
    return value


def _fmlab_loop() -> datetime:
    value = DESTINATION
    for _ in range(CALLS):
        value = now_utc()
    return value


def _in_1985(value: object) -> bool:
    return isinstance(value, datetime) and value.year == 1985


def _near_now(value: object) -> bool:
    return isinstance(value, datetime) and value.year >= 2024


def _fmlab_read(
    patch: bool,
    frozen: bool,
    loop: Callable[[], datetime] | None = None,
    mode: Mode = "native",
) -> Callable[[], datetime]:
    chosen = loop or (_stdlib_loop if patch else _fmlab_loop)

    def run() -> datetime:
        PATCHER.prefer(mode)
        try:
            if frozen:
                with halt(), travel_to(DESTINATION, patch_stdlib=patch):
                    return chosen()
            with travel_to(DESTINATION, patch_stdlib=patch):
                return chosen()
        finally:
            PATCHER.prefer("native")

    return run


def _fmlab_cycles(patch: bool, mode: Mode = "native") -> Callable[[], int]:
    def run() -> int:
        PATCHER.prefer(mode)
        try:
            for _ in range(CYCLES):
                with travel_to(DESTINATION, patch_stdlib=patch):
                    pass
        finally:
            PATCHER.prefer("native")
        return CYCLES

    return run


def _peer_cases() -> list[Case]:
    cases: list[Case] = []
    try:
        import freezegun
    except ImportError:  # pragma: no cover - pinned in requirements-dev.txt
        freezegun = None
    try:
        import time_machine
    except ImportError:  # pragma: no cover - pinned in requirements-dev.txt
        time_machine = None
    if freezegun is not None:
        fg = freezegun

        def fg_read() -> datetime:
            with fg.freeze_time(DESTINATION, tick=True):
                return _stdlib_loop()

        def fg_cycles() -> int:
            for _ in range(CYCLES):
                with fg.freeze_time(DESTINATION, tick=True):
                    pass
            return CYCLES

        cases += [
            Case(SUITE, READ, "freezegun 1.5.5 (tick)", fg_read, check=_in_1985),
            Case(SUITE, ENTER, "freezegun 1.5.5 (tick)", fg_cycles, repeat=3),
        ]
    if time_machine is not None:
        tm = time_machine

        def tm_read() -> datetime:
            with tm.travel(DESTINATION, tick=True):
                return _stdlib_loop()

        def tm_cycles() -> int:
            for _ in range(CYCLES):
                with tm.travel(DESTINATION, tick=True):
                    pass
            return CYCLES

        cases += [
            Case(SUITE, READ, "time-machine 3.6.0 (tick)", tm_read, check=_in_1985),
            Case(SUITE, ENTER, "time-machine 3.6.0 (tick)", tm_cycles, baseline=True),
        ]
    return cases


def cases() -> list[Case]:
    own = [
        Case(SUITE, READ, "empty loop (overhead)", _empty_loop),
        Case(
            SUITE,
            READ,
            "unmocked datetime.now(UTC)",
            _stdlib_loop,
            baseline=True,
            check=_near_now,
        ),
        Case(SUITE, READ, "fmlab now_utc()", _fmlab_read(False, False), check=_in_1985),
        Case(SUITE, READ, "fmlab now_utc(), halted", _fmlab_read(False, True), check=_in_1985),
        Case(
            SUITE,
            READ,
            f"fmlab patch_stdlib ({PATCHER.mode}) datetime.now",
            _fmlab_read(True, False),
            check=_in_1985,
        ),
        Case(
            SUITE,
            READ,
            f"fmlab patch_stdlib ({PATCHER.mode}) early-bound now",
            _fmlab_read(True, False, _early_bound_loop),
            check=_in_1985,
        ),
        Case(
            SUITE,
            READ,
            f"fmlab now_utc() under patch_stdlib ({PATCHER.mode})",
            _fmlab_read(True, False, _fmlab_loop),
            check=_in_1985,
        ),
        Case(
            SUITE,
            READ,
            "fmlab patch_stdlib (python) datetime.now",
            _fmlab_read(True, False, mode="python"),
            check=_in_1985,
        ),
        Case(SUITE, ENTER, "fmlab travel_to", _fmlab_cycles(False)),
        Case(
            SUITE,
            ENTER,
            f"fmlab travel_to(patch_stdlib=True) ({PATCHER.mode})",
            _fmlab_cycles(True),
        ),
        Case(
            SUITE,
            ENTER,
            "fmlab travel_to(patch_stdlib=True) (python)",
            _fmlab_cycles(True, mode="python"),
        ),
    ]
    # The harness divides nothing: record how many operations one run performs, so the
    # performance page can show per-call figures.
    return [
        dataclasses.replace(c, params={"operations": CALLS if c.name == READ else CYCLES})
        for c in own + _peer_cases()
    ]


def main() -> dict[str, object]:
    """Measure every case (medians of its repeats) and print per-call figures as JSON."""
    from harness import measure

    rows: dict[str, dict[str, float]] = {}
    for case in cases():
        result = measure(case)
        per = CALLS if case.name == READ else CYCLES
        rows.setdefault(case.name, {})[case.contender] = result.median_s / per * 1e6
    reference = {READ: "unmocked datetime.now(UTC)", ENTER: "time-machine 3.6.0 (tick)"}
    report: dict[str, object] = {
        "unit": "microseconds per call (READ) or per enter+exit (ENTER), medians",
        "python": sys.version.split()[0],
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "modules_loaded": len(sys.modules),
        "results": rows,
        "ratios_to_reference": {
            task: {
                name: value / figures[reference[task]]
                for name, value in figures.items()
                if reference[task] in figures
            }
            for task, figures in rows.items()
        },
    }
    print(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
