"""The model-checking chapter's models: the CRI, rkt's pods and rktlet, in the plain convention.

Each module is a model file that ``fmlab mc check`` accepts as it is (two containers), and
offers ``namespace(containers, ...)`` for other sizes and variants:

* :mod:`~fmlab.mc.models.cri`: the Container Runtime Interface as its API documents it;
* :mod:`~fmlab.mc.models.rkt_immutable`: a CRI runtime over rkt's immutable pods;
* :mod:`~fmlab.mc.models.rkt_mutable`: rkt's mutable pods, driven by ``rkt app`` commands;
* :mod:`~fmlab.mc.models.rktlet`: rktlet's mapping of CRI calls onto those commands.

The Promela twins (``*.pml`` beside them) ask SPIN the same questions; :func:`promela_path`
finds one. :mod:`~fmlab.mc.models.exercises` checks the chapter's exercises and
:mod:`~fmlab.mc.models.pictures` draws its states and traces.
"""

from __future__ import annotations

from pathlib import Path

from fmlab.mc.models import cri, exercises, pictures, rkt_immutable, rkt_mutable, rktlet

__all__ = [
    "cri",
    "exercises",
    "pictures",
    "promela_path",
    "rkt_immutable",
    "rkt_mutable",
    "rktlet",
]


def promela_path(name: str) -> Path:
    """The Promela twin ``<name>.pml`` shipped with this package (``cri``, ``rktlet``, ...)."""
    path = Path(__file__).with_name(f"{name}.pml")
    if not path.is_file():
        raise FileNotFoundError(f"no Promela model named {name!r} in {path.parent}")
    return path
