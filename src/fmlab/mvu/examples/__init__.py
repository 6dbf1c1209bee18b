"""Example apps shared by the chapter, the tests and the benchmarks.

Working apps: :mod:`~fmlab.mvu.examples.counter`, :mod:`~fmlab.mvu.examples.form`,
:mod:`~fmlab.mvu.examples.todo` and :mod:`~fmlab.mvu.examples.unbounded_counter`.
Deliberately broken ones: :mod:`~fmlab.mvu.examples.clock_greeting` (the view reads the
clock), :mod:`~fmlab.mvu.examples.nested_paragraph` (a ``<div>`` inside a ``<p>``),
:mod:`~fmlab.mvu.examples.table_rows` (``<tr>`` directly inside ``<table>``) and
:mod:`~fmlab.mvu.examples.leaky_counter` (an update that breaks its invariant).

Each is a plain app file, so the command line takes it too:
``fmlab mvu check "$(python -c 'from fmlab.mvu.examples import path; print(path("todo"))')"``.

>>> path("counter").name
'counter.py'
>>> sorted(WORKING) == sorted(set(WORKING) - set(BROKEN))
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BROKEN", "WORKING", "path"]

WORKING = ("counter", "form", "todo", "unbounded_counter")
BROKEN = ("clock_greeting", "nested_paragraph", "table_rows", "leaky_counter")


def path(name: str) -> Path:
    """The file of example ``name`` (for ``fmlab mvu check`` and :func:`fmlab.mvu.load_app`)."""
    if name not in WORKING + BROKEN:
        raise ValueError(f"no example named {name!r}; there are {', '.join(WORKING + BROKEN)}")
    return Path(__file__).with_name(f"{name}.py")
