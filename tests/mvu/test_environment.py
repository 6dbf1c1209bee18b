"""Moving the clock, the zone, the locale and the random seed, and putting them back."""

from __future__ import annotations

import locale
import os
import random
import time
from datetime import date, datetime

from fmlab.mvu import AFTERNOON_IN_SAO_PAULO, MORNING_IN_UTC, moved
from fmlab.timetravel import now_local


def _reading() -> tuple[object, ...]:
    return (
        datetime.now().strftime("%Y-%m-%d %H:%M"),
        date.today().isoformat(),
        int(time.time()),
        now_local().utcoffset(),
        locale.getlocale(),
        locale.format_string("%.1f", 1234.5, grouping=True),
        locale.setlocale(locale.LC_NUMERIC),
        os.environ.get("LANG"),
        random.random(),
    )


def test_the_two_environments_differ_in_every_reading() -> None:
    with moved(MORNING_IN_UTC):
        server = _reading()
    with moved(AFTERNOON_IN_SAO_PAULO):
        browser = _reading()
    assert server[0] == "2001-02-03 04:05"
    assert browser[0] == "2022-11-13 16:41"  # Sao Paulo is three hours behind UTC
    assert server[5] == "1,234.5"
    assert browser[5] == "1.234,5"
    assert all(a != b for a, b in zip(server, browser, strict=True))


def test_the_same_environment_reads_the_same_twice() -> None:
    with moved(MORNING_IN_UTC):
        first = _reading()
    with moved(MORNING_IN_UTC):
        second = _reading()
    assert first == second


def test_everything_is_put_back() -> None:
    random.seed(99)
    expected_random = random.random()
    random.seed(99)
    before = (locale.getlocale(), os.environ.get("LANG"), locale.localeconv()["decimal_point"])
    with moved(AFTERNOON_IN_SAO_PAULO):
        pass
    after = (locale.getlocale(), os.environ.get("LANG"), locale.localeconv()["decimal_point"])
    assert before == after
    assert random.random() == expected_random
    assert abs(time.time() - datetime.now().timestamp()) < 5
    assert datetime.now().year >= 2025
