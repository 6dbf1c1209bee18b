"""Work-arounds for upstream bugs in the pinned Sphinx 7.4 stack, found by tests/browser.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``. Drop each one when the
pinned versions contain the upstream fix.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # Sphinx 7.4 registers an inline script added after builder start-up twice, once with
    # filename None and once with "" (fixed upstream in sphinx-doc/sphinx#13402, Sphinx 8.2).
    # sphinx-thebe's inline `const THEBE_JS_URL = ...` then runs twice and the second copy
    # throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, float, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for script in scripts:
        if isinstance(script, str):  # a bare file name, as very old extensions add them
            key: tuple[str, float, tuple[tuple[str, str], ...]] = (script, 0, ())
        else:
            attributes = tuple(sorted((str(k), str(v)) for k, v in script.attributes.items()))
            key = (script.filename or "", script.priority, attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _drop_duplicate_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
