"""Exercise numbers that restart with each chapter: Exercise 1 is a chapter's first exercise.

sphinx-exercise numbers exercises as Sphinx numbers figures: with no numbered table of
contents (the book numbers no sections) one counter runs through the whole book, so the
first exercise of the time chapter was Exercise 41, and the chapter template's demo made
every chapter's count start at 2. After Sphinx has assigned the numbers
(``env-get-updated``, after its toctree collector), this renumbers them chapter by
chapter: a chapter is an entry of the root document's table of contents with everything
under it (the overview page, then its notebooks in order), so the template page counts
only its own demo. Titles and ``{numref}`` read the numbers from
``env.toc_fignumbers``, which is what this rewrites.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

EXERCISE = "exercise"  # the enumerable type sphinx-exercise registers


def chapters(env: BuildEnvironment) -> list[list[str]]:
    """Each chapter's documents in reading order: its top page, then what it includes."""

    def below(docname: str, seen: set[str]) -> Iterator[str]:
        if docname in seen:
            return
        seen.add(docname)
        yield docname
        for child in env.toctree_includes.get(docname, []):
            yield from below(child, seen)

    seen: set[str] = {env.config.root_doc}
    return [list(below(top, seen)) for top in env.toctree_includes.get(env.config.root_doc, [])]


def renumber(env: BuildEnvironment) -> list[str]:
    """Number each chapter's exercises 1, 2, ...; the documents whose numbers changed."""
    changed: list[str] = []
    for documents in chapters(env):
        count = 0
        for docname in documents:
            numbers = env.toc_fignumbers.get(docname, {}).get(EXERCISE)
            if not numbers:
                continue
            before = dict(numbers)
            # Sphinx numbered them in document order; keep that order.
            for node_id in sorted(numbers, key=numbers.__getitem__):
                count += 1
                numbers[node_id] = (count,)
            if numbers != before:
                changed.append(docname)
    return changed


def _renumber_after_sphinx(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return renumber(env)


def setup(app: Sphinx) -> dict[str, Any]:
    # Priority 900: after the toctree collector (500) has assigned the book-wide numbers.
    app.connect("env-get-updated", _renumber_after_sphinx, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
