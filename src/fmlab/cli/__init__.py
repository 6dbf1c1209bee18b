"""The ``fmlab`` command, the top layer: it uses the chapters, and no chapter uses it.

Its public modules: :mod:`~fmlab.cli.main` (the entry point, ``main(argv)`` and the
``CHAPTER_COMMANDS`` table), :mod:`~fmlab.cli.conventions` (what every command shares:
``--json``, ``--timeout``, one-line errors) and one module per chapter command
(:mod:`~fmlab.cli.iam`, :mod:`~fmlab.cli.k8s`, :mod:`~fmlab.cli.refine`,
:mod:`~fmlab.cli.time`, :mod:`~fmlab.cli.doctor`), each with ``register(subcommands)``.
A command module parses arguments, calls its chapter's public API and formats the
output; the library work stays in the chapter.
"""

__all__: list[str] = []
