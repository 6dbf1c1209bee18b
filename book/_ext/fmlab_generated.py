"""Text the book takes from the code at build time, so that the two cannot disagree.

``{fmlab-help}`` (a MyST directive with no arguments) prints what ``fmlab --help`` prints in
this checkout, as a console block: the command listing of how-to-use was once written by
hand and went stale (it said only ``doctor`` existed when four chapters had commands).
``{fmlab-commands}`` prints the ``--help`` of every command and subcommand, each under a
rubric naming it (the API reference's command-line page).

Loaded through ``sphinx.local_extensions`` in ``_config.yml``. The chapter statuses, which
are prose, are checked against the roadmap by tests/build/test_docs_match_code.py instead.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

# The width the listing is wrapped to: argparse reads COLUMNS, and the page holds about 90.
HELP_COLUMNS = "88"


def _formatted(parser: argparse.ArgumentParser) -> str:
    # argparse reads COLUMNS when it formats, so set it only around the call.
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        return parser.format_help().rstrip()
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before


def fmlab_help_text() -> str:
    """``fmlab --help`` as a reader's terminal shows it, wrapped at ``HELP_COLUMNS``."""
    from fmlab.cli.main import build_parser

    return f"$ .venv/bin/fmlab --help\n{_formatted(build_parser(['--help']))}\n"


def command_helps() -> Iterator[tuple[str, str]]:
    """(``fmlab iam check``, its ``--help``) for every command and subcommand, in order."""
    from fmlab.cli.main import build_parser

    def walk(words: str, parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
        yield words, _formatted(parser)
        for action in parser._actions:  # argparse keeps its subparsers only here
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    yield from walk(f"{words} {name}", child)

    for words, text in walk("fmlab", build_parser(load_all=True)):
        if words != "fmlab":
            yield words, text


class FmlabHelp(SphinxDirective):
    """The output of ``fmlab --help``, generated when the book is built."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        text = fmlab_help_text()
        block = nodes.literal_block(text, text, language="console")
        return [block]


class FmlabCommands(SphinxDirective):
    """The ``--help`` of every command and subcommand, generated when the book is built."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        found: list[nodes.Node] = []
        for words, text in command_helps():
            found.append(nodes.rubric(words, "", nodes.literal(words, words)))
            shown = f"$ .venv/bin/{words} --help\n{text}\n"
            found.append(nodes.literal_block(shown, shown, language="console"))
        return found


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("fmlab-help", FmlabHelp)
    app.add_directive("fmlab-commands", FmlabCommands)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
