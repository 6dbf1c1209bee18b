"""A package's public face whose names load on first use.

Every fmlab package names its public API in its ``__init__.py`` (``__all__``) while the
code lives in private modules. Importing all of them eagerly would load z3, numpy or
ipywidgets for a caller that wanted one small name (``fmlab time ...`` must start without
z3), so a face lists where each name lives and lets :func:`lazy_exports` fetch it:

.. code-block:: python

    if TYPE_CHECKING:  # what type checkers and readers see
        from fmlab.k8s._cluster import ClusterState
    __all__ = ["ClusterState"]
    if not TYPE_CHECKING:  # what runs: the module loads on first use
        __getattr__, __dir__ = lazy_exports(__name__, {"_cluster": ("ClusterState",)})

The ``TYPE_CHECKING`` imports, ``__all__`` and the table must agree;
``tests/test_architecture.py`` checks that they do for every package.

>>> getattr_, dir_ = lazy_exports("fmlab.core", {"result": ("Verdict",)})
>>> getattr_("Verdict").PROVED.value
'proved'
>>> getattr_("Nothing")
Traceback (most recent call last):
AttributeError: module 'fmlab.core' has no attribute 'Nothing'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, homes: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose names live in ``homes``.

    ``homes`` maps a module of the package (relative: ``"_cluster"``) to the names it
    provides. A name is imported from its module on first access and then kept in the
    package's namespace, so later look-ups do not come back here.
    """
    module_of = {name: module for module, names in homes.items() for name in names}

    def __getattr__(name: str) -> Any:  # noqa: N807 (it becomes the package's own)
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        vars(sys.modules[package])[name] = value
        return value

    def __dir__() -> list[str]:  # noqa: N807
        return sorted({*vars(sys.modules[package]), *module_of})

    return __getattr__, __dir__
