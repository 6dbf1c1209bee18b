"""Where a view runs: the clock, the time zone, the locale and the random seed, moved.

A view must be a function of the model alone. The server renders it at one instant, in
one zone and locale; the browser renders it again later, elsewhere. :func:`moved` runs
code in a chosen :class:`Environment`, so rendering the same model in two environments
and comparing catches views that read any of these:

* the clock and zone, patched at the standard library's boundary by time-machine (the
  library the time chapter compares fmlab.timetravel with; chapters do not import each
  other): ``datetime.now()``, ``date.today()``, ``time.time()``, ``time.localtime()`` and
  ``time.strftime()`` read the environment's instant, halted, and ``$TZ`` is its zone;
* the locale, patched at the boundary of the standard library's :mod:`locale` module
  (``getlocale``, ``localeconv``, ``setlocale(category)`` as a query, and so
  ``locale.format_string``/``locale.str``) and the ``LANG``/``LC_*`` variables. C-level
  formatting (``format(n, "n")``, ``strftime("%A")``) follows the process's real locale,
  which this machine cannot switch (it has only the C locales), so it is not moved;
* the seed of :mod:`random` (``random.random()``, ``random.choice``...). ``os.urandom``,
  ``secrets`` and ``uuid.uuid4`` cannot be seeded and are not moved.

>>> from datetime import datetime
>>> with moved(MORNING_IN_UTC):
...     morning = datetime.now().hour
>>> with moved(AFTERNOON_IN_SAO_PAULO):
...     afternoon = datetime.now().hour
>>> morning, afternoon
(4, 16)
"""

from __future__ import annotations

import locale
import os
import random
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Environment:
    """An instant, a zone, a locale and a random seed to run a view in."""

    name: str
    instant: datetime
    zone: str
    locale_name: str
    decimal_point: str
    thousands_sep: str
    random_seed: int

    def describe(self) -> str:
        """``2001-02-03 04:05 UTC, en_US, seed 1``."""
        return (
            f"{self.instant:%Y-%m-%d %H:%M}Z in {self.zone}, locale {self.locale_name}, "
            f"random seed {self.random_seed}"
        )


MORNING_IN_UTC = Environment(
    "server", datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC), "UTC", "en_US", ".", ",", 1
)
"""Where the checks render "on the server"."""
AFTERNOON_IN_SAO_PAULO = Environment(
    "browser",
    datetime(2022, 11, 13, 19, 41, 0, tzinfo=UTC),
    "America/Sao_Paulo",
    "de_DE",
    ",",
    ".",
    2,
)
"""Where the checks render "in the browser": another year, day, hour, zone and locale."""

_LOCALE_VARIABLES = ("LANG", "LANGUAGE", "LC_ALL", "LC_NUMERIC", "LC_TIME", "LC_MONETARY")


@contextmanager
def moved(environment: Environment) -> Iterator[Environment]:
    """Run the block in ``environment`` (clock halted at its instant); restore everything after."""
    import time_machine  # loaded here: only the checks move the clock

    local = environment.instant.astimezone(ZoneInfo(environment.zone))
    with ExitStack() as stack:
        # A ZoneInfo destination makes time-machine set $TZ too, so local time moves.
        stack.enter_context(time_machine.travel(local, tick=False))
        stack.enter_context(_locale(environment))
        stack.enter_context(_seeded(environment.random_seed))
        yield environment


@contextmanager
def _locale(environment: Environment) -> Iterator[None]:
    name = f"{environment.locale_name}.UTF-8"
    real_localeconv = locale.localeconv
    real_setlocale = locale.setlocale

    def localeconv() -> Mapping[str, Any]:
        values = dict(real_localeconv())
        values.update(
            decimal_point=environment.decimal_point,
            thousands_sep=environment.thousands_sep,
            grouping=[3, 3, 0],
            mon_decimal_point=environment.decimal_point,
            mon_thousands_sep=environment.thousands_sep,
        )
        return values

    def setlocale(category: int, value: str | None = None) -> str:
        if value is None:
            return name  # a query: answer the simulated locale
        return real_setlocale(category, value)

    variables = {variable: name for variable in _LOCALE_VARIABLES}
    with (
        mock.patch.object(locale, "localeconv", localeconv),
        mock.patch.object(locale, "setlocale", setlocale),
        mock.patch.object(locale, "getlocale", return_value=(environment.locale_name, "UTF-8")),
        mock.patch.dict(os.environ, variables),
    ):
        yield


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)
