"""A built site served on 127.0.0.1 for as long as a browser needs it.

The browser tests, ``make pdf`` and ``make slides-pdf`` all open the built pages through
Chromium over HTTP (``file://`` would break the pages' module scripts and fetches), and
all of them want the same thing: a free local port, no request log, nothing reachable
from elsewhere, and the server gone when they finish.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["serve"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would drown the output of the test or build


@contextlib.contextmanager
def serve(folder: Path, *, name: str = "local-site") -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 on a free port; yields the origin (``http://127.0.0.1:N``)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
