"""Loading many objects at once without the cyclic garbage collector in the way.

Reading a cluster allocates about ten objects per pod and keeps them all. CPython's
cyclic collector runs after every few hundred allocations and, as the heap grows, its
older generations are rescanned over and over, although nothing read can be garbage.
Pausing it for the load is the usual remedy; it runs again (and catches up) afterwards.

>>> import gc
>>> with paused_garbage_collection():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_garbage_collection() -> Iterator[None]:
    """Disable the cyclic collector inside the block, restoring its state afterwards.

    Nested uses are fine: only the outermost one, which found it enabled, enables it again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
