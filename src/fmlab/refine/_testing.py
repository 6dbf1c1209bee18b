"""A test helper: require a project's annotated modules to pass the refinement checker.

>>> from pathlib import Path
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as directory:
...     path = Path(directory) / "inc.py"
...     _ = path.write_text('from typing import Annotated\\n'
...                         'def inc(x: int) -> Annotated[int, "_ > 0"]:\\n'
...                         '    return x + 1\\n')
...     assert_module_checks(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
AssertionError: .../inc.py: 1 function does not check:
inc (line 2): unsafe
  3:12: result must satisfy `_ > 0`
      counterexample: x = -1
"""

from __future__ import annotations

import types
from pathlib import Path

from fmlab.core.errors import InputError
from fmlab.refine._checker import check_file
from fmlab.refine._report import ModuleReport, Status


def assert_module_checks(
    path_or_module: str | Path | types.ModuleType,
    *,
    allow_unknown: bool = False,
    timeout_ms: int | None = None,
) -> ModuleReport:
    """Fail, with the checker's errors, unless every function of the module checks.

    ``unsafe`` and ``unsupported`` functions always fail; ``unknown`` ones fail unless
    ``allow_unknown`` (then they are what ``@enforce`` is for). A module object is checked
    through its source file; like the checker, this never runs the file. The report is
    returned for further assertions.
    """
    path = _path_of(path_or_module)
    __tracebackhide__ = True  # pytest shows the assertion, not this helper's frames
    try:
        report = check_file(path, timeout_ms=timeout_ms)
    except InputError as error:
        raise AssertionError(f"{path}: cannot be checked: {error}") from None
    tolerated = {Status.SAFE, Status.UNKNOWN} if allow_unknown else {Status.SAFE}
    failing = [function for function in report.functions if function.status not in tolerated]
    if failing:
        count = f"{len(failing)} function{'s' if len(failing) > 1 else ''} does not check"
        count = count.replace("s does", "s do")
        details = "\n".join(function.explain() for function in failing)
        raise AssertionError(f"{path}: {count}:\n{details}")
    return report


def _path_of(path_or_module: str | Path | types.ModuleType) -> Path:
    if isinstance(path_or_module, types.ModuleType):
        source = getattr(path_or_module, "__file__", None)
        if source is None or not source.endswith(".py"):
            raise AssertionError(f"module {path_or_module.__name__} has no Python source file")
        return Path(source)
    return Path(path_or_module)


__all__ = ["assert_module_checks"]
