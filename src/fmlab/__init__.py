"""fmlab: formal methods you can run.

The library behind the fmlab course. A shared core (:mod:`fmlab.core`) gives every check
one honest answer (proved, refuted with a confirmed witness, or unknown with a reason);
:mod:`fmlab.viz` draws instances, models and traces; each chapter has its own subpackage,
whose ``__init__`` names its public API; :mod:`fmlab.cli` is the ``fmlab`` command on top.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
