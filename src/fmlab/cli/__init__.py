"""The ``fmlab`` command: one entry point, with a subcommand group per chapter."""
