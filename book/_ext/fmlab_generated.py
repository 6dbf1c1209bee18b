"""Text the book takes from the code at build time, so that the two cannot disagree.

``{fmlab-help}`` (a MyST directive with no arguments) prints what ``fmlab --help`` prints in
this checkout, as a console block: the command listing of how-to-use was once written by
hand and went stale (it said only ``doctor`` existed when four chapters had commands).

Loaded through ``sphinx.local_extensions`` in ``_config.yml``. The chapter statuses, which
are prose, are checked against the roadmap by tests/build/test_docs_match_code.py instead.
"""

from __future__ import annotations

import os
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

# The width the listing is wrapped to: argparse reads COLUMNS, and the page holds about 90.
HELP_COLUMNS = "88"


def fmlab_help_text() -> str:
    """``fmlab --help`` as a reader's terminal shows it, wrapped at ``HELP_COLUMNS``."""
    from fmlab.cli.main import build_parser

    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        text = build_parser(["--help"]).format_help()
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
    return f"$ .venv/bin/fmlab --help\n{text.rstrip()}\n"


class FmlabHelp(SphinxDirective):
    """The output of ``fmlab --help``, generated when the book is built."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        text = fmlab_help_text()
        block = nodes.literal_block(text, text, language="console")
        return [block]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("fmlab-help", FmlabHelp)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
